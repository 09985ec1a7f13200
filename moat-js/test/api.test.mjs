// The public API beyond the vectors: issuing and delegating with attenuation enforced, verifier
// configuration and fail-closed hooks, parser limits, key hygiene, and audit log break kinds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as moat from "../dist/index.js";

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const root = moat.Keypair.generate();
const alice = moat.Keypair.generate();
const bob = moat.Keypair.generate();
const te = new TextEncoder();

function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof moat.MoatError, String(e));
    return { code: e.code, rule: e.rule, link: e.link };
  }
  assert.fail("expected a MoatError");
}

const base = moat.issueToken(root, {
  subject: alice.id,
  allow: [{ resource: "tool://mail/**", actions: ["read", "send"] }],
  deny: [{ resource: "tool://mail/admin", actions: ["*"] }],
  limits: { fuel: 100n, hosts: ["*.example.com"], fsRead: ["/data"] },
  issuedAt: NOW,
  validForMs: 3600_000,
});
const verifier = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => NOW + 1 });
const grant = (extra) => ({ subject: bob.id, allow: [{ resource: "tool://mail/read", actions: ["read"] }], issuedAt: NOW, validForMs: 60_000, ...extra });

test("delegation narrows and verifies; denials are carried over and limits inherited", { timeout: 120_000 }, () => {
  const c = base.delegate(alice, grant());
  const cap = verifier.verify(c.toJson());
  assert.equal(cap.subject, bob.id);
  assert.equal(cap.leaf.deny[0].resource, "tool://mail/admin");
  assert.equal(cap.limits.fuel, 100n);
  assert.equal(cap.evaluate("tool://mail/read", "read"), null);
  assert.equal(cap.evaluate("tool://mail/read", "send"), "not_granted");
  assert.equal(cap.notAfter, NOW + 60_000);
});

test("delegation refuses every broadening by rule, before anything is signed", { timeout: 120_000 }, () => {
  const cases = [
    [grant({ allow: [{ resource: "tool://calendar", actions: ["read"] }] }), "scope"],
    [grant({ allow: [{ resource: "tool://mail/read", actions: ["delete"] }] }), "actions"],
    [grant({ allow: [{ resource: "tool://mail/read", actions: ["*"] }] }), "actions"],
    [grant({ limits: { fuel: 101n } }), "limit.fuel"],
    [grant({ limits: {} }), "limit.fuel"],
    [grant({ limits: { fuel: 1n, hosts: ["example.com"] } }), "limit.hosts"],
    [grant({ limits: { fuel: 1n, fsRead: ["/etc"] } }), "limit.fs_read"],
    [grant({ validForMs: 7200_000 }), "expiry"],
    [grant({ issuedAt: NOW - 1 }), "issued_at"],
  ];
  for (const [g, rule] of cases) {
    assert.deepEqual(code(() => base.delegate(alice, g)), { code: "broadened", rule, link: undefined }, rule);
  }
  assert.equal(code(() => base.delegate(bob, grant())).rule, "issuer");
  let c = base;
  let holder = alice;
  for (let d = 1; d <= 2; d++) {
    const next = moat.Keypair.generate();
    c = c.delegate(holder, grant({ subject: next.id }), 2);
    holder = next;
  }
  assert.deepEqual(code(() => c.delegate(holder, grant(), 2)), { code: "depth_exceeded", rule: "depth", link: undefined });
});

test("issuing refuses invalid input with malformed", { timeout: 120_000 }, () => {
  assert.equal(code(() => moat.issueToken(root, grant({ allow: [{ resource: "tool://../x", actions: ["read"] }] }))).code, "malformed");
  assert.equal(code(() => moat.issueToken(root, grant({ allow: [] }))).code, "malformed");
  assert.equal(code(() => moat.issueToken(root, grant({ validForMs: 0 }))).code, "malformed");
  assert.equal(code(() => moat.issueToken(root, grant({ subject: "bob" }))).code, "malformed");
  assert.equal(code(() => moat.issueToken(root, grant({ limits: { hosts: ["bad host"] } }))).code, "malformed");
});

test("the verifier fails closed: throwing hooks are internal; depth cap and skew are enforced", { timeout: 120_000 }, () => {
  const c = base.delegate(alice, grant());
  const throwing = new moat.TokenVerifier({ trustedRoots: () => { throw new Error("trust store down"); }, now: () => NOW });
  assert.equal(code(() => throwing.verify(c.encoded())).code, "internal");
  const revoking = new moat.TokenVerifier({
    trustedRoots: [root.id], now: () => NOW, revocation: { isAgentRevoked: () => false, isTokenRevoked: () => { throw new TypeError("x"); } },
  });
  assert.equal(code(() => revoking.verify(c.encoded())).code, "internal");
  const shallow = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => NOW, maxDepth: 0 });
  assert.deepEqual(code(() => shallow.verify(c.encoded())), { code: "depth_exceeded", rule: undefined, link: 1 });
  const early = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => NOW - 30_001 });
  assert.equal(code(() => early.verify(c.encoded())).code, "expired");
  const withinSkew = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => NOW - 30_000 });
  withinSkew.verify(c.encoded());
  assert.throws(() => new moat.TokenVerifier({ trustedRoots: [], maxDepth: 65 }), RangeError);
  assert.throws(() => new moat.TokenVerifier({ trustedRoots: [], maxClockSkewMs: 300_001 }), RangeError);
  assert.equal(check(verifier, "{}").error.code, "malformed");
});

function check(v, wire) {
  return v.check(wire);
}

test("recheck catches expiry and revocation after verification", { timeout: 120_000 }, () => {
  let now = NOW + 1;
  const revoked = new Set();
  const v = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => now, revocation: moat.revocationList() });
  const v2 = new moat.TokenVerifier({ trustedRoots: [root.id], now: () => now, revocation: { isAgentRevoked: (a) => revoked.has(a), isTokenRevoked: () => false } });
  const cap = v2.verify(base.delegate(alice, grant()).encoded());
  assert.equal(v2.recheck(cap), null);
  revoked.add(alice.id);
  assert.equal(v2.recheck(cap).code, "revoked");
  now = NOW + 60_000;
  assert.equal(v.recheck(cap).code, "expired");
  assert.throws(() => new moat.VerifiedCapability(Symbol("x"), cap.chain, cap.links), TypeError);
});

test("JSON parsing: nesting 32 is accepted and 33 refused, numbers at most 20 characters, strict syntax", { timeout: 120_000 }, () => {
  const nest = (n) => te.encode("{\"a\":" + "[".repeat(n - 1) + "]".repeat(n - 1) + "}");
  assert.ok(moat.parseJsonObject(nest(32), 1 << 20, "t") instanceof Map);
  assert.equal(code(() => moat.parseJsonObject(nest(33), 1 << 20, "t")).code, "malformed");
  assert.equal(moat.parseJsonObject(te.encode('{"n":-9223372036854775808}'), 100, "t").get("n"), -9223372036854775808n);
  assert.equal(code(() => moat.parseJsonObject(te.encode('{"n":123456789012345678901}'), 100, "t")).code, "malformed");
  for (const bad of ['{"a":1,"a":2}', '{"a":1} x', '{"a":01}', "{'a':1}", '{"a":1,}', '{"a":"\u0001"}', '/*c*/{}', '[1]', '', '{"a":tru}', '{"a":"\\x"}']) {
    assert.equal(code(() => moat.parseJsonObject(te.encode(bad), 100, "t")).code, "malformed", bad);
  }
  assert.equal(code(() => moat.parseJsonObject(Uint8Array.of(0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d), 100, "t")).code, "malformed");
  assert.equal(code(() => moat.parseJsonObject(te.encode("{}"), 1, "t")).code, "oversized");
  assert.equal(moat.canonicalJson({ b: [1, true, null], a: "é\"\\\u0001/" }), '{"a":"é\\"\\\\\\u0001/","b":[1,true,null]}');
  assert.equal(code(() => moat.canonicalJson({ a: 1.5 })).code, "malformed");
  assert.equal(code(() => moat.canonicalJson({ a: "\ud800" })).code, "malformed");
  // Keys in code point order: U+FF21 before U+1F600 (UTF-16 order would put the surrogate pair first).
  assert.equal(moat.canonicalJson({ "\u{1F600}": 1, "\uFF21": 2 }), '{"\uFF21":2,"\u{1F600}":1}');
});

test("canonical JSON of tool arguments: numbers as written, typed problems, limits", { timeout: 120_000 }, () => {
  const text = (b) => new TextDecoder().decode(b);
  const problem = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof moat.CanonicalJsonError, String(e));
      return e.problem;
    }
    assert.fail("expected a CanonicalJsonError");
  };
  assert.equal(text(moat.encodeCanonical({ b: new moat.JsonNumber("12.50"), a: [new moat.JsonNumber("-0"), 1n, 0.1, -0, 1e21] })),
    '{"a":[-0,1,0.1,-0,1e+21],"b":12.50}');
  assert.throws(() => new moat.JsonNumber("01"), RangeError);
  assert.throws(() => new moat.JsonNumber("1."), RangeError);
  assert.equal(problem(() => moat.encodeCanonical({ a: NaN })), "unsupported_value");
  assert.equal(problem(() => moat.encodeCanonical({ a: undefined, b: () => 1 })), "unsupported_value");
  const cycle = [];
  cycle.push(cycle);
  assert.equal(problem(() => moat.encodeCanonical(cycle)), "too_deep");
  assert.equal(code(() => moat.canonicalJson({ a: new moat.JsonNumber("1.5") })).code, "malformed", "protocol documents: integers only");
  // Tool arguments: blank text and undefined are {}, top level must be an object, limits apply.
  for (const none of [undefined, null, "", " \n", new Uint8Array()]) {
    assert.equal(text(moat.toolArguments(none)), "{}");
  }
  assert.equal(text(moat.toolArguments('{"b":1e3,"a":"x"}')), '{"a":"x","b":1e3}');
  assert.equal(problem(() => moat.toolArguments("[1]")), "not_an_object");
  assert.equal(problem(() => moat.toolArguments([1])), "not_an_object");
  assert.equal(problem(() => moat.toolArguments("7")), "not_an_object");
  const limits = { maxBytes: 16, maxDepth: 2, maxNumberLength: 20 };
  assert.equal(problem(() => moat.toolArguments('{"a":"0123456789abc"}', limits)), "oversized");
  assert.equal(problem(() => moat.toolArguments({ a: "0123456789abc" }, limits)), "oversized");
  assert.equal(problem(() => moat.canonicalise('{"a":{"b":[]}}', limits)), "too_deep");
  assert.equal(text(moat.canonicalise('{"a":[1]}', limits)), '{"a":[1]}');
  assert.equal(problem(() => moat.canonicalise("[123456789012345678901]", { ...limits, maxBytes: 100 })), "number_too_long");
  assert.throws(() => moat.canonicalise("{}", { maxBytes: 0, maxDepth: 2, maxNumberLength: 20 }), RangeError);
  assert.throws(() => moat.canonicalise("{}", { maxBytes: 10, maxDepth: 2, maxNumberLength: 19 }), RangeError);
});

test("keys never leak: toString and JSON show only the id and public key", { timeout: 120_000 }, () => {
  const k = moat.Keypair.fromSeed(new Uint8Array(32).fill(9));
  const seedB64 = moat.encodeBase64Url(new Uint8Array(32).fill(9));
  for (const shown of [String(k), JSON.stringify(k), JSON.stringify(Object.entries(k)), Object.keys(k).join()]) {
    assert.ok(!shown.includes(seedB64), shown);
  }
  assert.deepEqual(k.exportSeed(), new Uint8Array(32).fill(9));
  assert.equal(moat.agentIdOf(k.publicKey), k.id);
});

test("public key validation refuses small-order and non-canonical encodings", { timeout: 120_000 }, () => {
  const hex = (h) => Uint8Array.from(Buffer.from(h, "hex"));
  for (const h of ["0100000000000000000000000000000000000000000000000000000000000000", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000", "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"]) {
    assert.equal(moat.isValidPublicKey(hex(h)), false, h);
  }
  assert.equal(moat.isValidPublicKey(root.publicKey), true);
  assert.equal(moat.isValidPublicKey(root.publicKey.subarray(1)), false);
});

test("audit: the spec's entry vector (PROTOCOL.md 15.1) is reproduced byte for byte", { timeout: 120_000 }, () => {
  const e = moat.createAuditEntry(0n, Date.UTC(2026, 0, 1), { type: "lifecycle", kind: "start", detail: "boot" }, new Uint8Array(32));
  assert.equal(Buffer.from(e.hash).toString("hex"), "856300595a562764bd8bdc1bac4a64d363becf378a96c9d07503b45eed93eb44");
  assert.equal(e.line, '{"event":{"detail":"boot","kind":"start","type":"lifecycle"},"hash":"hWMAWVpWJ2S9i9wbrEpk02O-zzeKlsnQdQO0Xu2T60Q","index":0,"prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","time":"2026-01-01T00:00:00Z"}');
  assert.equal(code(() => moat.createAuditEntry(0n, NOW, { type: "lifecycle", kind: "explode" }, new Uint8Array(32))).code, "malformed");
});

test("audit: every event type and field moat-core writes is read, and the decision flags are checked as moat-core checks them", () => {
  const prev = new Uint8Array(32);
  const ok = [
    { type: "decision", allowed: true, agent: "agent:x", messageId: "m", headerSha256: "h", payloadSha256: "p", chainSha256: "c",
      arguments: '{"to":"bo', argumentsTruncated: true, user: "user-42" },
    { type: "decision", allowed: true, stage: "capability", reasonCode: "not_granted", detail: "d", wouldDeny: true },
    ...["insecure_resume", "renew", "capability", "notice", "fleet_heads"].map((kind) => ({ type: "lifecycle", kind })),
    ...["loaded", "revoked", "restored", "unreadable", "recovered"].map((change) => ({ type: "revocation", change, agent: "agent:x", tokenId: "t", source: "s", detail: "d" })),
    ...["loaded", "trusted", "distrusted", "unreadable", "recovered"].map((change) => ({ type: "trust", change, root: "agent:r", name: "n", source: "s", detail: "d" })),
  ];
  for (const event of ok) {
    const e = moat.createAuditEntry(0n, NOW, event, prev);
    assert.deepEqual(moat.parseAuditLine(te.encode(e.line)).entry.event, event);
  }
  const refused = [
    { type: "decision", allowed: true, wouldDeny: false },
    { type: "decision", allowed: true, arguments: "{}", argumentsTruncated: false },
    { type: "decision", allowed: true, argumentsTruncated: true },
    { type: "decision", allowed: false, stage: "capability", reasonCode: "not_granted", wouldDeny: true },
    { type: "decision", allowed: true, reasonCode: "not_granted", wouldDeny: true },
    { type: "decision", allowed: true, stage: "capability", wouldDeny: true },
    { type: "decision", allowed: true, wouldDeny: "true" },
    { type: "revocation", change: "forgotten" },
    { type: "trust" },
    { type: "trust", change: "trusted", extra: "x" },
  ];
  for (const event of refused) {
    assert.equal(code(() => moat.createAuditEntry(0n, NOW, event, prev)).code, "malformed", JSON.stringify(event));
  }
});

function writeLog(n, cpAt, salt = 0) {
  const key = moat.Keypair.generate();
  let prev = new Uint8Array(32);
  const lines = [];
  const cps = [];
  for (let i = 0; i < n; i++) {
    const e = moat.createAuditEntry(BigInt(i), NOW + i, { type: "tool_outcome", status: "ok", durationMicros: BigInt(i + salt) }, prev);
    lines.push(e.line + "\n");
    prev = e.hash;
    if (cpAt.includes(i + 1)) {
      cps.push(moat.signCheckpoint(key, BigInt(i + 1), prev, NOW + i) + "\n");
    }
  }
  return { key, lines, cps };
}

test("audit: every break kind is reported with its index and line", { timeout: 120_000 }, () => {
  const { key, lines, cps } = writeLog(5, [2, 4]);
  const v = (l, c = cps, o = {}) => moat.verifyAuditBytes(te.encode(l.join("")), te.encode(c.join("")), key.publicKey, o);
  const ok = v(lines);
  assert.equal(ok.intact, true);
  assert.equal(ok.entries, 5n);
  assert.equal(ok.checkpointsVerified, 2);
  assert.equal(ok.uncheckpointedEntries, 1n);
  const broke = (r) => (assert.equal(r.intact, false), [r.breakage.kind, r.breakage.source, r.breakage.index, r.breakage.line]);
  assert.deepEqual(broke(v([lines[0], lines[2]])), ["INDEX_GAP", "LOG", 1n, 2]);
  assert.deepEqual(broke(v([lines[0], lines[1].replace('"durationMicros":1', '"durationMicros":7')])), ["HASH_MISMATCH", "LOG", 1n, 2]);
  assert.deepEqual(broke(v([lines[0], " " + lines[1]])), ["MALFORMED_LINE", "LOG", 1n, 2]);
  assert.deepEqual(broke(v([lines[0], lines[1].replace(/"prev":"[^"]*"/, '"prev":"' + "A".repeat(43) + '"')])), ["PREVIOUS_HASH_MISMATCH", "LOG", 1n, 2]);
  assert.deepEqual(broke(v(lines.slice(0, 3))), ["TRUNCATED", "LOG", 3n, 0]);
  assert.deepEqual(broke(v(lines, cps, { requireCheckpointAtHead: true })), ["UNCHECKPOINTED_TAIL", "CHECKPOINTS", 4n, 0]);
  assert.deepEqual(broke(v([])), ["TRUNCATED", "LOG", 0n, 0]);
  assert.deepEqual(broke(v([], [])), ["EMPTY", "LOG", 0n, 0]);
  assert.deepEqual(broke(v([...lines.slice(0, 4), lines[4].slice(0, -1)])), ["TORN_TAIL", "LOG", 4n, 5]);
  assert.deepEqual(broke(v(lines, [cps[1], cps[0]])), ["CHECKPOINT_MISMATCH", "CHECKPOINTS", 1n, 2]);
  assert.deepEqual(broke(v(lines, [cps[0], "{}\n"])), ["MALFORMED_LINE", "CHECKPOINTS", 0n, 2]);
  const other = writeLog(5, [2], 100);
  assert.deepEqual(broke(v(other.lines, [cps[0]])), ["CHECKPOINT_MISMATCH", "CHECKPOINTS", 1n, 1]);
  assert.deepEqual(broke(v(lines, other.cps)), ["CHECKPOINT_SIGNATURE", "CHECKPOINTS", 1n, 1]);
});

test("audit: files, the self-asserted key sidecar, and missing files", { timeout: 120_000 }, () => {
  const { key, lines, cps } = writeLog(3, [3]);
  const dir = mkdtempSync(join(tmpdir(), "moat-audit-"));
  const log = join(dir, "audit.jsonl");
  assert.equal(moat.verifyAuditLog(log).breakage.kind, "MISSING");
  writeFileSync(log, lines.join(""));
  assert.deepEqual([moat.verifyAuditLog(log).breakage.kind, moat.verifyAuditLog(log).breakage.source], ["MISSING", "CHECKPOINTS"]);
  writeFileSync(log + ".checkpoints", cps.join(""));
  assert.deepEqual([moat.verifyAuditLog(log).breakage.kind, moat.verifyAuditLog(log).breakage.source], ["MISSING", "KEY"]);
  writeFileSync(log + ".key", "garbage\n");
  assert.deepEqual([moat.verifyAuditLog(log).breakage.kind, moat.verifyAuditLog(log).breakage.source], ["MALFORMED_LINE", "KEY"]);
  writeFileSync(log + ".key", moat.logKeyFileLine(key.publicKey));
  const r = moat.verifyAuditLog(log, { requireCheckpointAtHead: true });
  assert.equal(r.intact, true);
  assert.equal(r.keyTrust, "SELF_ASSERTED");
  assert.equal(moat.verifyAuditLog(log, { publicKey: key.publicKey }).keyTrust, "PROVIDED");
});

test("signatures with a small-order component in R verify as in moat-core (cofactored), and nothing else does", { timeout: 120_000 }, async () => {
  const { torsionSign, nonCanonicalRSign } = await import("../scripts/torsion.mjs");
  const nodeCrypto = await import("node:crypto");
  const k = moat.Keypair.generate();
  const msg = te.encode("hello");
  const framed = moat.frame(moat.Domain.MESSAGE, msg);
  const pub = nodeCrypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: k.publicKeyBase64Url }, format: "jwk" });
  for (const order of [1, 2, 4, 8]) {
    const sig = torsionSign(k.exportSeed(), framed, order);
    assert.equal(nodeCrypto.verify(null, framed, pub, sig), order === 1, `OpenSSL, order ${order}`);
    assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.MESSAGE, msg, sig), true, `order ${order}`);
    assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.TOKEN, msg, sig), false, "another domain");
    assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.MESSAGE, te.encode("hellO"), sig), false, "another message");
    const high = Uint8Array.from(sig);
    high[63] |= 0x10; // S >= L
    assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.MESSAGE, msg, high), false, "non-canonical S");
    assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.MESSAGE, msg, torsionSign(k.exportSeed(), framed, order, { zeroNonce: true })), true);
  }
  assert.equal(moat.verifyFramed(k.publicKey, moat.Domain.MESSAGE, msg, nonCanonicalRSign(k.exportSeed(), framed)), false, "non-canonical R");
});

test("key files: loaded with the seed checked, group-readable and forged files refused", async () => {
  const { chmodSync } = await import("node:fs");
  const dir = mkdtempSync(join(tmpdir(), "moat-keys-"));
  const k = moat.Keypair.generate();
  const file = join(dir, "bob.key");
  const json = (o) => JSON.stringify(o);
  const fields = { id: k.id, name: "bob", public_key: k.publicKeyBase64Url, type: "moat-agent-key", v: 1 };
  writeFileSync(file, json({ ...fields, private_key: moat.encodeBase64Url(k.exportSeed()) }), { mode: 0o600 });
  chmodSync(file, 0o600);
  const loaded = moat.loadPrivateKeyFile(file);
  assert.equal(loaded.name, "bob");
  assert.equal(loaded.keypair.id, k.id);
  chmodSync(file, 0o640);
  assert.equal(code(() => moat.loadPrivateKeyFile(file)).code, "malformed");
  assert.equal(moat.loadPrivateKeyFile(file, { allowGroupReadable: true }).keypair.id, k.id);
  const other = moat.Keypair.generate();
  writeFileSync(file, json({ ...fields, private_key: moat.encodeBase64Url(other.exportSeed()) }));
  chmodSync(file, 0o600);
  const refused = (() => { try { moat.loadPrivateKeyFile(file); } catch (e) { return e; } })();
  assert.equal(refused.code, "malformed");
  assert.ok(!refused.message.includes(moat.encodeBase64Url(other.exportSeed())), "no key bytes in errors");
  const idFile = join(dir, "bob.id");
  writeFileSync(idFile, json({ id: k.id, name: "bob", public_key: k.publicKeyBase64Url, type: "moat-agent-identity", v: 1 }));
  assert.equal(moat.loadIdentityFile(idFile).id, k.id);
  writeFileSync(idFile, json({ id: other.id, name: "bob", public_key: k.publicKeyBase64Url, type: "moat-agent-identity", v: 1 }));
  assert.equal(code(() => moat.loadIdentityFile(idFile)).code, "malformed");
  writeFileSync(idFile, json({ id: k.id, name: "bob", public_key: k.publicKeyBase64Url, type: "moat-agent-identity", v: 1, extra: 1 }));
  assert.equal(code(() => moat.loadIdentityFile(idFile)).code, "malformed");
  writeFileSync(idFile, "x".repeat(16 * 1024 + 1));
  assert.equal(code(() => moat.loadIdentityFile(idFile)).code, "malformed");
});
