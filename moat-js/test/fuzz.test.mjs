// Mutation tests: every single-byte change of a valid chain or message is refused with a typed
// MoatError (never accepted, never an untyped crash); re-signed mutations of payloads and headers
// either verify or are refused with a MoatError; mutated audit logs are reported, never thrown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { VECTORS_DIR } from "./spec-dir.mjs";
import * as moat from "../dist/index.js";

const DIR = VECTORS_DIR;
const load = (f) => JSON.parse(readFileSync(DIR + f, "utf8"));
const chains = load("chains.json");
const messages = load("messages.json");
const CODES = new Set(Object.values(moat.ReasonCode));

// Deterministic PRNG (xorshift32), so a failure reproduces.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

function mutations(bytes, seed) {
  const next = rng(seed);
  const out = [];
  for (let i = 0; i < bytes.length; i++) {
    const m = Uint8Array.from(bytes);
    const r = next() & 0xff;
    m[i] = r === bytes[i] ? bytes[i] ^ 0x01 : r;
    out.push(m);
  }
  return out;
}

function refusedTyped(fn, what) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof moat.MoatError, `${what}: untyped ${e && e.stack}`);
    assert.ok(CODES.has(e.code), `${what}: unknown code ${e.code}`);
    return e.code;
  }
  assert.fail(`${what}: a mutation was accepted`);
}

function chainVerifier(input) {
  return new moat.TokenVerifier({
    trustedRoots: input.trusted_roots,
    now: () => moat.tryParseTime(input.now),
    maxDepth: input.max_depth,
    maxClockSkewMs: input.max_clock_skew_ms,
  });
}

const validChains = chains.vectors.filter((v) => v.expect.ok && ["chain/valid-root", "chain/valid-2-links"].includes(v.name));
const validMessage = messages.vectors.find((v) => v.name === "message/valid");

test("every single-byte change of a valid chain is refused with a typed error", { timeout: 120_000 }, () => {
  assert.equal(validChains.length, 2);
  for (const v of validChains) {
    const wire = new TextEncoder().encode(v.input.chain);
    const verifier = chainVerifier(v.input);
    verifier.verify(wire);
    const seen = new Map();
    for (const [i, m] of mutations(wire, 0x5eed + wire.length).entries()) {
      const code = refusedTyped(() => verifier.verify(m), `${v.name} byte ${i}`);
      seen.set(code, (seen.get(code) ?? 0) + 1);
    }
    // The attack surfaces differ: JSON structure, base64url text, key, signature.
    assert.ok(seen.get("malformed") > 0 && seen.get("bad_signature") > 0, JSON.stringify([...seen]));
  }
});

test("every single-byte change of a valid message envelope is refused with a typed error", { timeout: 120_000 }, () => {
  const wire = new TextEncoder().encode(validMessage.input.message);
  moat.verifyMessage(wire);
  const seen = new Map();
  for (const [i, m] of mutations(wire, 0xfeed).entries()) {
    const code = refusedTyped(() => moat.verifyMessage(m), `message byte ${i}`);
    seen.set(code, (seen.get(code) ?? 0) + 1);
  }
  assert.ok(seen.get("malformed") > 0 && seen.get("bad_signature") > 0 && seen.get("digest_mismatch") > 0, JSON.stringify([...seen]));
});

test("re-signed mutations of a token payload verify or are refused with a typed error", { timeout: 120_000 }, () => {
  const agents = Object.fromEntries(chains.agents.map((a) => [a.name, moat.Keypair.fromSeed(moat.tryDecodeBase64Url(a.seed))]));
  const v = chains.vectors.find((x) => x.name === "chain/valid-root");
  const chain = moat.TokenChain.parse(v.input.chain);
  const link = chain.links[0];
  const root = agents.root;
  assert.equal(moat.encodeBase64Url(link.key), root.publicKeyBase64Url);
  const verifier = chainVerifier(v.input);
  let accepted = 0;
  for (const m of mutations(link.payload, 0xabcd)) {
    const forged = moat.TokenChain.of([{ key: link.key, payload: m, sig: root.sign(moat.Domain.TOKEN, m) }]);
    try {
      const cap = verifier.verify(forged);
      accepted++;
      // Accepted only if the mutated payload is itself canonical and decodes to its own bytes.
      assert.deepEqual(moat.encodeClaims(cap.leaf), m);
    } catch (e) {
      assert.ok(e instanceof moat.MoatError, `untyped ${e && e.stack}`);
    }
  }
  assert.ok(accepted < link.payload.length / 4, `accepted ${accepted}`);
});

test("re-signed mutations of a message header verify or are refused with a typed error", { timeout: 120_000 }, () => {
  const env = moat.MessageEnvelope.parse(validMessage.input.message);
  const bob = moat.Keypair.fromSeed(moat.tryDecodeBase64Url(messages.agents.find((a) => a.name === "bob").seed));
  assert.deepEqual(bob.publicKey, env.key);
  for (const m of mutations(env.header, 0x1234)) {
    const forged = new moat.MessageEnvelope(env.key, m, bob.sign(moat.Domain.MESSAGE, m), env.body, env.chain);
    try {
      const ok = moat.verifyMessage(forged);
      assert.deepEqual(moat.encodeHeader(ok.header), m);
    } catch (e) {
      assert.ok(e instanceof moat.MoatError, `untyped ${e && e.stack}`);
    }
  }
});

test("random bytes and truncations are refused with typed errors by every parser", { timeout: 120_000 }, () => {
  const next = rng(99);
  const wire = new TextEncoder().encode(validMessage.input.message);
  const inputs = [];
  for (let n = 0; n < 300; n++) {
    const len = next() % 200;
    inputs.push(Uint8Array.from({ length: len }, () => next() & 0xff));
    inputs.push(wire.subarray(0, next() % wire.length));
  }
  inputs.push(new TextEncoder().encode("[".repeat(5000)), new TextEncoder().encode('{"a":' + "[".repeat(40) + "]".repeat(40) + "}"));
  for (const b of inputs) {
    refusedTyped(() => moat.verifyMessage(b), "message");
    refusedTyped(() => moat.TokenChain.parse(b), "chain");
    refusedTyped(() => moat.decodeClaims(b), "payload");
    refusedTyped(() => moat.decodeHeader(b), "header");
  }
});

test("mutated audit logs are reported as broken, never thrown", { timeout: 120_000 }, () => {
  const key = moat.Keypair.fromSeed(new Uint8Array(32).fill(7));
  let prev = new Uint8Array(32);
  const lines = [];
  for (let i = 0n; i < 4n; i++) {
    const e = moat.createAuditEntry(i, 1795600800000 + Number(i), { type: "decision", allowed: i % 2n === 0n, agent: "agent:x", detail: "é\u0001" }, prev);
    lines.push(e.line);
    prev = e.hash;
  }
  const log = new TextEncoder().encode(lines.join("\n") + "\n");
  const cps = new TextEncoder().encode(moat.signCheckpoint(key, 4n, prev, 1795600900000) + "\n");
  assert.equal(moat.verifyAuditBytes(log, cps, key.publicKey).intact, true);
  for (const [i, m] of mutations(log, 77).entries()) {
    const r = moat.verifyAuditBytes(m, cps, key.publicKey);
    assert.equal(r.intact, false, `log byte ${i} accepted`);
  }
  for (const [i, m] of mutations(cps, 78).entries()) {
    const r = moat.verifyAuditBytes(log, m, key.publicKey);
    assert.equal(r.intact, false, `checkpoint byte ${i} accepted`);
  }
});
