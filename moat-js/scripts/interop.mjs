#!/usr/bin/env node
// Cross-language interop driver, run by moat-js's Java tests (CrossLanguageTest):
//   node scripts/interop.mjs check <cases.json>          prints this implementation's result for every case
//   node scripts/interop.mjs produce <cases.json> <dir>  issues, delegates, signs and writes an audit log in
//                                                        TypeScript, and writes the cases for Java to check
// A case is {name, kind: chain|message|audit|keys, ...}; results are plain JSON so both sides compare equal.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as moat from "../dist/index.js";
import { nonCanonicalRSign, torsionSign } from "./torsion.mjs";

const enc = moat.encodeBase64Url;
const dec = (s) => moat.tryDecodeBase64Url(s);

function firstFailingLink(verifier, chain, code) {
  for (let k = 1; k <= chain.links.length; k++) {
    const r = verifier.check(moat.TokenChain.of(chain.links.slice(0, k)));
    if (!r.ok) {
      return r.error.code === code ? k - 1 : -1;
    }
  }
  return -1;
}

function checkChain(c) {
  const revoked = moat.revocationList(c.revoked_agents ?? [], c.revoked_tokens ?? []);
  const verifier = new moat.TokenVerifier({ trustedRoots: c.trusted_roots, now: () => moat.tryParseTime(c.now), revocation: revoked });
  const r = verifier.check(new TextEncoder().encode(c.wire));
  if (!r.ok) {
    let link = -1;
    try {
      link = firstFailingLink(verifier, moat.TokenChain.parse(c.wire), r.error.code);
    } catch {
      link = -1;
    }
    return { ok: false, code: r.error.code, link };
  }
  const cap = r.value;
  return {
    ok: true,
    subject: cap.subject,
    root: cap.rootIssuer,
    links: cap.links.length,
    leaf_id: cap.leaf.id,
    not_after: moat.formatTime(cap.notAfter),
    chain_sha256: enc(cap.chain.hash()),
    requests: (c.requests ?? []).map((q) => cap.evaluate(q.resource, q.action) ?? "allow"),
  };
}

function checkMessage(c) {
  try {
    const m = moat.verifyMessage(new TextEncoder().encode(c.wire));
    return {
      ok: true, id: m.id, sender: m.sender, recipient: m.recipient, resource: m.resource, action: m.action,
      seq: m.seq.toString(), ts: moat.formatTime(m.ts), policy_id: m.policy.id, policy_sha256: enc(m.policy.sha256),
      body_sha256: enc(m.header.bodySha256), chain_sha256: enc(m.chain.hash()), leaf_subject: m.chain.leafClaims().subject,
    };
  } catch (e) {
    if (!(e instanceof moat.MoatError)) {
      throw e;
    }
    return { ok: false, code: e.code };
  }
}

function checkAudit(c) {
  const options = { requireCheckpointAtHead: c.require_checkpoint_at_head ?? false };
  if (c.public_key) {
    options.publicKey = dec(c.public_key);
  }
  const r = moat.verifyAuditLog(c.log, options);
  if (r.intact) {
    return {
      intact: true, entries: r.entries.toString(), checkpoints: r.checkpointsVerified, head: enc(r.headHash),
      uncheckpointed: r.uncheckpointedEntries.toString(), key_trust: r.keyTrust,
    };
  }
  const b = r.breakage;
  return { intact: false, kind: b.kind, source: b.source, index: b.index.toString(), line: b.line, entries_verified: r.entriesVerified.toString() };
}

function check(c) {
  switch (c.kind) {
    case "chain":
      return checkChain(c);
    case "message":
      return checkMessage(c);
    case "audit":
      return checkAudit(c);
    case "keys":
      return { valid: c.keys.map((k) => moat.isValidPublicKey(dec(k))) };
    case "keyfile":
      try {
        if (c.private) {
          const { name, keypair } = moat.loadPrivateKeyFile(c.path);
          return { name, id: keypair.id, public_key: keypair.publicKeyBase64Url };
        }
        const id = moat.loadIdentityFile(c.path);
        return { name: id.name, id: id.id, public_key: enc(id.publicKey) };
      } catch (e) {
        if (!(e instanceof moat.MoatError)) {
          throw e;
        }
        return { refused: e.code };
      }
    case "sigs":
      return {
        valid: c.items.map((x) => {
          const framed = dec(x.framed);
          const zero = framed.indexOf(0);
          return moat.verifyFramed(dec(x.key), new TextDecoder().decode(framed.subarray(0, zero)), framed.subarray(zero + 1), dec(x.sig));
        }),
      };
    default:
      throw new Error(`unknown case kind ${c.kind}`);
  }
}

function flip(text, at) {
  const b = new TextEncoder().encode(text);
  const i = at < 0 ? b.length + at : at;
  // Change one base64url character to another valid one, so the damage is in the bytes, not the syntax.
  b[i] = b[i] === 0x41 ? 0x42 : 0x41;
  return new TextDecoder().decode(b);
}

function produce(out, dir) {
  mkdirSync(dir, { recursive: true });
  const now = Date.UTC(2026, 10, 25, 10, 0, 0, 123);
  const clock = () => now;
  const root = moat.Keypair.generate();
  const alice = moat.Keypair.generate();
  const bob = moat.Keypair.generate();
  const stranger = moat.Keypair.generate();
  const rootChain = moat.issueToken(root, {
    subject: alice.id,
    allow: [
      { resource: "tool://mail/**", actions: ["read", "send"] },
      { resource: "file:///data/**", actions: ["read", "write"] },
      { resource: "tool://*/search", actions: ["*"] },
    ],
    deny: [{ resource: "tool://mail/admin", actions: ["*"] }],
    limits: { fuel: 10_000_000n, memoryBytes: 1n << 40n, wallTimeMs: 60_000, hosts: ["api.example.com", "*.example.org:8443"], fsRead: ["/data"], fsWrite: ["/data/out"] },
    issuedAt: now - 60_000,
    validForMs: 24 * 3600_000,
  });
  const chain = rootChain.delegate(alice, {
    subject: bob.id,
    allow: [{ resource: "tool://mail/read", actions: ["read"] }, { resource: "file:///data/reports/**", actions: ["read"] }],
    deny: [{ resource: "file:///data/reports/secret/**", actions: ["read"] }],
    limits: { fuel: 1000n, memoryBytes: 1n << 30n, wallTimeMs: 5_000, hosts: ["a.example.org:8443"], fsRead: ["/data/reports"] },
    issuedAt: now - 30_000,
    expiresAt: now + 3600_000 + 7,
  });
  let broadening = "none";
  try {
    chain.delegate(bob, { subject: stranger.id, allow: [{ resource: "tool://mail/send", actions: ["send"] }], clock, validForMs: 1000 });
  } catch (e) {
    broadening = `${e.code}:${e.rule}`;
  }
  const requests = [
    ["tool://mail/read", "read"], ["tool://mail/read", "send"], ["tool://mail/admin", "read"], ["file:///data/reports/q3.csv", "read"],
    ["file:///data/reports/secret/k", "read"], ["file:///data/reports", "read"], ["tool://mail/../admin", "read"], ["tool://mail/read", "*"],
  ].map(([resource, action]) => ({ resource, action }));
  const wire = chain.toJson();
  const chainCase = (name, w, extra = {}) => ({ name, kind: "chain", wire: w, trusted_roots: [root.id], now: moat.formatTime(now), requests, ...extra });
  const policy = moat.policyBinding("prod:v1", new TextEncoder().encode("version: 1\nname: prod\n"));
  const signer = new moat.MessageSigner(bob, chain, "pep-a", clock);
  const body = new TextEncoder().encode('{"folder":"inbox","query":"ünïcødé \\"quoted\\""}');
  const env = signer.sign("mail-server", "tool://mail/read", "read", body, policy);
  const env2 = signer.sign("mail-server", "tool://mail/read", "read", body, policy);
  const bearer = new moat.MessageSigner(stranger, chain, "pep-a", clock).sign("mail-server", "tool://mail/read", "read", body, policy);

  // An audit log with every event type, checkpoints after entries 3 and 6, and the key sidecar.
  const logKey = moat.Keypair.generate();
  const events = [
    { type: "lifecycle", kind: "start", detail: "boot", configSha256: "abc" },
    { type: "decision", agent: bob.id, resource: "tool://mail/read", action: "read", allowed: true, stage: "capability", messageId: env.peekHeader().id, signedMessage: env.toJson() },
    { type: "tool_outcome", agent: bob.id, resource: "tool://mail/read", action: "read", status: "ok", resultSha256: "xyz", durationMicros: 1234n },
    { type: "sandbox_run", agent: bob.id, moduleSha256: "m", fuelUsed: 99n, peakMemoryBytes: 65536n, durationMicros: 10n, exit: -1n },
    { type: "secret_resolution", agent: bob.id, handle: "h1", secretNameSha256: "s", granted: false, reason: "not declared" },
    { type: "monitor_alert", agent: bob.id, rule: "burst", action: "block", detail: "tab\there \u0000 nul, ünï" },
    { type: "decision", allowed: false, stage: "router", reasonCode: "malformed", detail: "x" },
    { type: "lifecycle", kind: "stop" },
  ];
  let prev = new Uint8Array(32);
  let log = "";
  let cps = "";
  events.forEach((ev, i) => {
    const e = moat.createAuditEntry(BigInt(i), now + i * 1001, ev, prev);
    log += e.line + "\n";
    prev = e.hash;
    if (i === 2 || i === 5) {
      cps += moat.signCheckpoint(logKey, BigInt(i + 1), prev, now + i * 1001) + "\n";
    }
  });
  cps += moat.signCheckpoint(logKey, BigInt(events.length), prev, now + 10_000) + "\n";
  const logPath = join(dir, "ts-audit.jsonl");
  writeFileSync(logPath, log);
  writeFileSync(logPath + ".checkpoints", cps);
  writeFileSync(logPath + ".key", moat.logKeyFileLine(logKey.publicKey));
  const cut = log.split("\n").slice(0, 7).join("\n") + "\n";
  const truncPath = join(dir, "ts-audit-truncated.jsonl");
  writeFileSync(truncPath, cut);
  writeFileSync(truncPath + ".checkpoints", cps);
  const editedPath = join(dir, "ts-audit-edited.jsonl");
  writeFileSync(editedPath, log.replace('"kind":"stop"', '"kind":"start"'));
  writeFileSync(editedPath + ".checkpoints", cps);

  // Signatures with a small-order component in R (made with the key): moat-core accepts them.
  const sigItems = [];
  for (const order of [1, 2, 4, 8]) {
    const framed = moat.frame(moat.Domain.TOKEN, new TextEncoder().encode(`payload ${order}`));
    const sig = torsionSign(bob.exportSeed(), framed, order);
    sigItems.push({ key: bob.publicKeyBase64Url, framed: enc(framed), sig: enc(sig) });
    const wrong = Uint8Array.from(sig);
    wrong[5] ^= 1;
    sigItems.push({ key: bob.publicKeyBase64Url, framed: enc(framed), sig: enc(wrong) });
    sigItems.push({ key: bob.publicKeyBase64Url, framed: enc(framed), sig: enc(torsionSign(bob.exportSeed(), framed, order, { zeroNonce: true })) });
  }
  const nc = moat.frame(moat.Domain.TOKEN, new TextEncoder().encode("non-canonical R"));
  sigItems.push({ key: bob.publicKeyBase64Url, framed: enc(nc), sig: enc(nonCanonicalRSign(bob.exportSeed(), nc)) });
  const torsionEnv = new moat.MessageEnvelope(env.key, env.header, torsionSign(bob.exportSeed(), moat.frame(moat.Domain.MESSAGE, env.header), 8), env.body, env.chain);

  const candidates = [root.publicKeyBase64Url, alice.publicKeyBase64Url];
  for (let i = 0; i < 400; i++) {
    candidates.push(enc(new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(32)))));
  }
  const cases = [
    chainCase("ts/chain-valid", wire),
    chainCase("ts/chain-root-only", rootChain.toJson()),
    chainCase("ts/chain-untrusted", wire, { trusted_roots: [alice.id] }),
    chainCase("ts/chain-expired", wire, { now: moat.formatTime(now + 3600_000 + 7) }),
    chainCase("ts/chain-still-valid-1ms-before", wire, { now: moat.formatTime(now + 3600_000 + 6) }),
    chainCase("ts/chain-revoked-bob", wire, { revoked_agents: [bob.id] }),
    chainCase("ts/chain-revoked-leaf-token", wire, { revoked_tokens: [chain.leafClaims().id] }),
    chainCase("ts/chain-sig-tampered", wire.replace(/("sig":")([A-Za-z0-9_-])/g, (m, p, ch) => p + (ch === "A" ? "B" : "A"))),
    chainCase("ts/chain-structure-byte", flip(wire, -4)),
    chainCase("ts/chain-leaf-payload-byte", flip(wire, wire.lastIndexOf('"payload":"') + 40)),
    { name: "ts/message-valid", kind: "message", wire: env.toJson() },
    { name: "ts/message-second-seq", kind: "message", wire: env2.toJson() },
    { name: "ts/message-bearer", kind: "message", wire: bearer.toJson() },
    { name: "ts/message-body-altered", kind: "message", wire: env.toJson().replace(/"body":"e/, '"body":"f') },
    { name: "ts/message-sig-altered", kind: "message", wire: flip(env.toJson(), -12) },
    { name: "ts/audit-intact", kind: "audit", log: logPath, require_checkpoint_at_head: true },
    { name: "ts/audit-intact-provided-key", kind: "audit", log: logPath, public_key: logKey.publicKeyBase64Url },
    { name: "ts/audit-truncated", kind: "audit", log: truncPath, public_key: logKey.publicKeyBase64Url },
    { name: "ts/audit-edited", kind: "audit", log: editedPath, public_key: logKey.publicKeyBase64Url },
    { name: "ts/audit-wrong-key", kind: "audit", log: logPath, public_key: root.publicKeyBase64Url },
    { name: "ts/keys", kind: "keys", keys: candidates },
    { name: "ts/sigs-small-order-r", kind: "sigs", items: sigItems },
    { name: "ts/message-small-order-r", kind: "message", wire: torsionEnv.toJson() },
  ];
  writeFileSync(out, JSON.stringify({ producer: "moat-js", broadening, root: root.id, bob: bob.id, cases }, null, 1));
}

const [, , command, a, b] = process.argv;
if (command === "check") {
  const doc = JSON.parse(readFileSync(a, "utf8"));
  const results = {};
  for (const c of doc.cases) {
    results[c.name] = check(c);
  }
  process.stdout.write(JSON.stringify(results) + "\n");
} else if (command === "produce") {
  produce(a, b);
} else {
  process.stderr.write("usage: interop.mjs check <cases.json> | produce <cases.json> <dir>\n");
  process.exit(2);
}
