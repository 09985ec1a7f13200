// Runs every vector in spec/vectors/*.json (the same files moat-core's VectorsTest runs) and
// requires the same results as Java, including the failing link and the attenuation rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { VECTORS_DIR } from "./spec-dir.mjs";
import * as moat from "../dist/index.js";

const DIR = VECTORS_DIR; // MOAT_SPEC_DIR selects another spec directory (test/spec-dir.mjs)
const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
// The vector files and their counts, as the table of spec/vectors/README.md lists them.
const listed = new Map([...readFileSync(DIR + "README.md", "utf8").matchAll(/^\| `([a-z]+\.json)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));
const b64 = (s) => {
  const b = moat.tryDecodeBase64Url(s);
  assert.notEqual(b, null, `vector input is base64url: ${s}`);
  return b;
};
const hex = (b) => Buffer.from(b).toString("hex");
const enc = moat.encodeBase64Url;

function expectFailure(fn, code) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof moat.MoatError, `expected a MoatError(${code}), got ${error}`);
  assert.equal(error.code, code, error.message);
  return error;
}

function verifier(input) {
  return new moat.TokenVerifier({
    trustedRoots: input.trusted_roots,
    now: () => moat.tryParseTime(input.now),
    maxDepth: input.max_depth,
    maxClockSkewMs: input.max_clock_skew_ms,
    revocation: moat.revocationList(input.revoked_agents, input.revoked_tokens),
    limits: { maxTokenBytes: input.limits.max_token_bytes, maxLinks: input.limits.max_links, maxChainBytes: input.limits.max_chain_bytes },
  });
}

function runChain(input, ex) {
  const v = verifier(input);
  const wire = Buffer.from(input.chain, "utf8");
  if (!ex.ok) {
    const e = expectFailure(() => v.verify(wire), ex.code);
    if (ex.link !== undefined) {
      assert.equal(e.link, ex.link, `failing link: ${e.message}`);
      // As the Java runner: the chain cut after `link` links verifies, one more fails with `code`.
      const chain = moat.TokenChain.parse(wire, { maxTokenBytes: input.limits.max_token_bytes, maxLinks: 1 << 20, maxChainBytes: 1 << 30 });
      if (ex.link > 0) {
        v.verify(moat.TokenChain.of(chain.links.slice(0, ex.link)));
      }
      expectFailure(() => v.verify(moat.TokenChain.of(chain.links.slice(0, ex.link + 1))), ex.code);
    }
    if (ex.rule !== undefined) {
      assert.equal(e.rule, ex.rule);
      const chain = moat.TokenChain.parse(wire);
      assert.equal(moat.attenuationViolation(chain.claimsAt(ex.link - 1), chain.claimsAt(ex.link)), ex.rule);
    }
    return;
  }
  const cap = v.verify(wire);
  assert.equal(cap.subject, ex.subject);
  assert.equal(cap.rootIssuer, ex.root);
  assert.equal(cap.links.length, ex.links);
  assert.equal(cap.leaf.id, ex.leaf_id);
  assert.equal(moat.formatTime(cap.notAfter), ex.not_after);
  assert.equal(enc(cap.chain.hash()), ex.chain_sha256);
  for (const r of ex.requests) {
    assert.equal(cap.evaluate(r.resource, r.action) ?? "allow", r.result, `${r.action} ${r.resource}`);
  }
}

function runMessage(input, ex) {
  const l = input.limits;
  const limits = {
    maxBodyBytes: l.max_body_bytes,
    maxEnvelopeBytes: l.max_envelope_bytes,
    tokens: { maxTokenBytes: l.max_token_bytes, maxLinks: l.max_links, maxChainBytes: l.max_chain_bytes },
  };
  const wire = Buffer.from(input.message, "utf8");
  if (!ex.ok) {
    expectFailure(() => moat.verifyMessage(wire, { limits }), ex.code);
    return;
  }
  const m = moat.verifyMessage(wire, { limits });
  assert.equal(m.id, ex.id);
  assert.equal(m.sender, ex.sender);
  assert.equal(m.recipient, ex.recipient);
  assert.equal(m.audience, ex.aud);
  assert.equal(m.resource, ex.resource);
  assert.equal(m.action, ex.action);
  assert.equal(m.seq, BigInt(ex.seq));
  assert.equal(moat.formatTime(m.ts), ex.ts);
  assert.equal(m.policy.id, ex.policy_id);
  assert.equal(enc(m.policy.sha256), ex.policy_sha256);
  assert.equal(enc(m.header.bodySha256), ex.body_sha256);
  assert.equal(enc(moat.domainHash(moat.Domain.PAYLOAD, m.body)), ex.body_sha256);
  assert.equal(enc(m.chain.hash()), ex.chain_sha256);
  assert.equal(m.chain.leafClaims().subject, ex.leaf_subject);
  // The envelope re-encodes to exactly the bytes received.
  assert.deepEqual(Buffer.from(m.envelope.encode()), wire);
}

function runCanonical(input, ex) {
  const text = input.json_b64 !== undefined ? b64(input.json_b64) : Buffer.from(input.json, "utf8");
  const canonicalise = input.object ? moat.canonicaliseObject : moat.canonicalise;
  if (!ex.ok) {
    let error;
    try {
      canonicalise(text);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof moat.CanonicalJsonError, `expected a CanonicalJsonError(${ex.error}), got ${error}`);
    assert.equal(error.problem, ex.error, error.message);
    if (input.json !== undefined) { // the same text as a JavaScript string (no UTF-8 step) agrees
      assert.throws(() => canonicalise(input.json), (e) => e instanceof moat.CanonicalJsonError && e.problem === ex.error);
    }
    return;
  }
  const expected = Buffer.from(ex.canonical, "utf8");
  assert.equal(Buffer.from(canonicalise(text)).toString("utf8"), ex.canonical);
  assert.deepEqual(Buffer.from(canonicalise(expected)), expected, "the canonical form is its own canonical form");
  if (input.json !== undefined) {
    assert.deepEqual(Buffer.from(canonicalise(input.json)), expected);
  }
}

function runAuditLine(line, ex) {
  const bytes = Buffer.from(line, "utf8");
  if (!ex.ok) {
    let parsed;
    try {
      parsed = moat.parseAuditLine(bytes);
    } catch (e) {
      assert.ok(e instanceof moat.MoatError, `expected a MoatError, got ${e}`);
      return;
    }
    assert.notDeepEqual(Buffer.from(parsed.computedHash), Buffer.from(parsed.entry.hash), "a refused line parsed with a matching hash");
    return;
  }
  const { entry, computedHash } = moat.parseAuditLine(bytes);
  assert.equal(String(entry.index), ex.index);
  assert.equal(entry.event.type, ex.type);
  assert.equal(enc(entry.hash), ex.hash);
  assert.equal(enc(computedHash), ex.hash);
  const again = moat.createAuditEntry(entry.index, entry.time, entry.event, entry.prev);
  assert.equal(again.line, line, "written again byte for byte");
}

function run(v) {
  const { input: i, expect: ex } = v;
  switch (v.kind) {
    case "agent_id":
      assert.equal(moat.agentIdOf(b64(i.public_key)), ex.id);
      assert.ok(moat.isValidPublicKey(b64(i.public_key)));
      return;
    case "signature": {
      const k = moat.Keypair.fromSeed(b64(i.seed));
      assert.equal(k.publicKeyBase64Url, ex.public_key);
      assert.equal(enc(k.sign(i.domain, b64(i.message))), ex.signature);
      return;
    }
    case "verify":
      assert.equal(moat.verifyFramed(b64(i.public_key), i.domain, b64(i.message), b64(i.signature)), ex.valid);
      return;
    case "hash":
      assert.equal(enc(moat.domainHash(i.domain, b64(i.message))), ex.sha256);
      return;
    case "base64url": {
      const d = moat.tryDecodeBase64Url(i.text);
      if (ex.ok) {
        assert.notEqual(d, null);
        assert.equal(hex(d), ex.hex);
        assert.equal(enc(d), i.text);
      } else {
        assert.equal(d, null);
      }
      return;
    }
    case "time": {
      const t = moat.tryParseTime(i.text);
      if (ex.ok) {
        assert.equal(t, ex.epoch_ms);
        assert.equal(moat.formatTime(t), i.text);
      } else {
        assert.equal(t, null);
      }
      return;
    }
    case "resource":
      assert.equal(moat.isValidResource(i.resource), ex.valid);
      return;
    case "pattern":
      if (ex.valid) {
        assert.equal(moat.ResourcePattern.parse(i.pattern).text, i.pattern);
      } else {
        assert.throws(() => moat.ResourcePattern.parse(i.pattern), RangeError);
      }
      return;
    case "match":
      assert.ok(moat.isValidResource(i.resource));
      assert.equal(moat.ResourcePattern.parse(i.pattern).matches(i.resource), ex.matches);
      return;
    case "covers":
      assert.equal(moat.ResourcePattern.parse(i.broader).covers(moat.ResourcePattern.parse(i.narrower)), ex.covers);
      return;
    case "canonical_json":
      runCanonical(i, ex);
      return;
    case "chain":
      runChain(i, ex);
      return;
    case "message":
      runMessage(i, ex);
      return;
    case "audit_line":
      runAuditLine(i.line, ex);
      return;
    default:
      assert.fail(`unknown vector kind ${v.kind}`);
  }
}

test(`${DIR} holds the vector files its README lists`, () => {
  assert.ok(listed.size >= 4, "the README lists the vector files");
  assert.deepEqual(files, [...listed.keys()].sort());
});

for (const f of files) {
  const doc = JSON.parse(readFileSync(DIR + f, "utf8"));
  assert.equal(doc.format, "moat-vectors/1");
  test(`${f}: holds as many vectors as the README says`, () => assert.equal(doc.vectors.length, listed.get(f)));
  test(`${f}: the test agents' seeds give their keys and ids`, () => {
    for (const a of doc.agents) {
      const k = moat.Keypair.fromSeed(b64(a.seed));
      assert.equal(k.publicKeyBase64Url, a.public_key);
      assert.equal(k.id, a.id);
    }
  });
  for (const v of doc.vectors) {
    test(`${f} ${v.name}`, { timeout: 30_000 }, () => run(v));
  }
}
