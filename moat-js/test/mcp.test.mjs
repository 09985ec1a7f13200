// The MCP guard: a wrapped tool handler runs only for a Moat-signed call of exactly that tool,
// with exactly those arguments, from the subject of a trusted chain; every attack is refused at
// its PEP stage with its reason code, and the handler does not run.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as moat from "../dist/index.js";
import { McpGuard, signToolCall, ENVELOPE_META_KEY } from "../dist/mcp.js";

const NOW = Date.UTC(2026, 10, 25, 10, 0, 0);
const PEP = "pep-a"; // this guard's own identity, the audience its messages must name
const root = moat.Keypair.generate();
const bob = moat.Keypair.generate();
const eve = moat.Keypair.generate();
const policy = moat.policyBinding("prod", new TextEncoder().encode("policy: v1\n"));
const chain = moat.issueToken(root, {
  subject: bob.id,
  allow: [{ resource: "tool://search", actions: ["execute"] }, { resource: "tool://pay", actions: ["execute"] }],
  deny: [{ resource: "tool://pay", actions: ["execute"] }],
  issuedAt: NOW - 1000,
  validForMs: 3600_000,
});

function setup(extra = {}) {
  let clock = NOW;
  const guard = new McpGuard({ recipient: "search-server", audience: PEP, policy, trustedRoots: [root.id], now: () => clock, ...extra });
  const runs = [];
  const handler = guard.wrap("search", async (args, ctx) => {
    runs.push({ args, sender: ctx.moat.message.sender });
    return { content: [{ type: "text", text: `results for ${args.q}` }] };
  });
  return { guard, handler, runs, setClock: (t) => (clock = t) };
}

const signer = (who = bob, c = chain, clock = () => NOW, aud = PEP) => new moat.MessageSigner(who, c, aud, clock);

test("a signed call runs the handler with the verified sender", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  const args = { q: "moat", limit: 5 };
  const r = await handler(args, { _meta: signToolCall(signer(), "search-server", "search", args, policy) });
  assert.deepEqual(r, { content: [{ type: "text", text: "results for moat" }] });
  assert.deepEqual(runs, [{ args, sender: bob.id }]);
});

async function refused(handler, runs, args, meta, stage, code) {
  const r = await handler(args, { _meta: meta });
  assert.equal(r.isError, true);
  assert.equal(r.content[0].text, `denied by Moat at ${stage}: ${code}`);
  assert.equal(runs.length, 0, "the handler must not run");
}

test("an unsigned call is refused", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  await refused(handler, runs, { q: "x" }, undefined, "router", "malformed");
  await refused(handler, runs, { q: "x" }, { [ENVELOPE_META_KEY]: "{}" }, "router", "malformed");
});

test("a replayed call is refused the second time", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  const meta = signToolCall(signer(), "search-server", "search", { q: "x" }, policy);
  await handler({ q: "x" }, { _meta: meta });
  assert.equal(runs.length, 1);
  runs.length = 0;
  await refused(handler, runs, { q: "x" }, meta, "authentication", "replay");
});

test("changed arguments, another tool, another server, another policy are refused", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  const s = signer();
  await refused(handler, runs, { q: "evil" }, signToolCall(s, "search-server", "search", { q: "x" }, policy), "call", "argument_rejected");
  await refused(handler, runs, { q: "x" }, signToolCall(s, "search-server", "pay", { q: "x" }, policy), "capability", "explicitly_denied");
  await refused(handler, runs, { q: "x" }, signToolCall(s, "other-server", "search", { q: "x" }, policy), "router", "unknown_recipient");
  const lax = moat.policyBinding("prod", new TextEncoder().encode("policy: lax\n"));
  await refused(handler, runs, { q: "x" }, signToolCall(s, "search-server", "search", { q: "x" }, lax), "policy", "policy_mismatch");
  await refused(handler, runs, { q: 1.5 }, signToolCall(s, "search-server", "search", { q: 1 }, policy), "call", "argument_rejected");
});

test("arguments are compared in canonical form: decimals by their exact value, text with its numbers as written", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  const s = signer();
  // Key order and decimals: the handler receives what JSON.parse gives; the signed bytes are its canonical form.
  const args = { q: "moat", z: { b: 2, a: 1 }, price: 12.5, tiny: 1e-7, huge: 1e21 };
  await handler(args, { _meta: signToolCall(s, "search-server", "search", args, policy) });
  assert.equal(runs.length, 1);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(moat.toolArguments(args))), args, "the signed bytes parse back to the same values");
  runs.length = 0;
  // JSON text is signed with its numbers as written: "12.5" is the value the handler gets, "12.50" is not the same text.
  await handler({ price: 12.5, q: "a" }, { _meta: signToolCall(s, "search-server", "search", '{"q":"a", "price":12.5}', policy) });
  assert.equal(runs.length, 1);
  runs.length = 0;
  await refused(handler, runs, { price: 12.5, q: "a" }, signToolCall(s, "search-server", "search", '{"q":"a","price":12.50}', policy), "call", "argument_rejected");
  // 2^53 + 1 as signed text is not the number a JavaScript handler receives (2^53): refused, never rounded.
  await refused(handler, runs, { n: 9007199254740992 }, signToolCall(s, "search-server", "search", '{"n":9007199254740993}', policy), "call", "argument_rejected");
  // Arguments with no canonical form are refused before anything runs.
  await refused(handler, runs, { q: "\ud800" }, signToolCall(s, "search-server", "search", { q: "x" }, policy), "call", "argument_rejected");
  await refused(handler, runs, [1], signToolCall(s, "search-server", "search", { q: "x" }, policy), "call", "argument_rejected");
  assert.throws(() => signToolCall(s, "search-server", "search", { q: "\udc00" }, policy), (e) => e.problem === "lone_surrogate");
  assert.throws(() => signToolCall(s, "search-server", "search", '{"a":1,"a":2}', policy), (e) => e.problem === "duplicate_key");
});

test("an envelope made for another enforcement point is refused, even with the same policy and server name", { timeout: 120_000 }, async () => {
  const a = setup();
  const b = setup({ audience: "pep-b" });
  const forA = signToolCall(signer(), "search-server", "search", { q: "x" }, policy);
  await a.handler({ q: "x" }, { _meta: forA });
  assert.equal(a.runs.length, 1);
  // The same envelope replayed at instance B (its own replay state has never seen bob): refused at the router.
  await refused(b.handler, b.runs, { q: "x" }, forA, "router", "wrong_audience");
  assert.throws(() => new McpGuard({ recipient: "search-server", policy, trustedRoots: [root.id] }), RangeError);
  assert.throws(() => new McpGuard({ recipient: "search-server", audience: " pep", policy, trustedRoots: [root.id] }), RangeError);
  assert.throws(() => signer(bob, chain, () => NOW, ""), RangeError);
});

test("a stranger using bob's chain, an untrusted root and a stale call are refused", { timeout: 120_000 }, async () => {
  const { handler, runs, setClock } = setup();
  await refused(handler, runs, { q: "x" }, signToolCall(signer(eve), "search-server", "search", { q: "x" }, policy), "capability", "not_subject");
  const selfIssued = moat.issueToken(eve, { subject: eve.id, allow: [{ resource: "tool://**", actions: ["*"] }], issuedAt: NOW, validForMs: 60_000 });
  await refused(handler, runs, { q: "x" }, signToolCall(signer(eve, selfIssued, () => NOW + 1), "search-server", "search", { q: "x" }, policy), "capability", "untrusted_root");
  const old = signToolCall(signer(), "search-server", "search", { q: "x" }, policy);
  setClock(NOW + 5 * 60_000 + 1);
  await refused(handler, runs, { q: "x" }, old, "router", "stale");
});

test("a revoked sender and a hook that throws are refused (fail closed)", { timeout: 120_000 }, async () => {
  const revoked = setup({ revocation: moat.revocationList([bob.id]) });
  await refused(revoked.handler, revoked.runs, { q: "x" }, signToolCall(signer(), "search-server", "search", { q: "x" }, policy), "authentication", "revoked");
  const broken = setup({ revocation: { isAgentRevoked: () => { throw new Error("store down"); }, isTokenRevoked: () => false } });
  await refused(broken.handler, broken.runs, { q: "x" }, signToolCall(signer(), "search-server", "search", { q: "x" }, policy), "authentication", "internal");
});

test("a tampered envelope is refused at authentication", { timeout: 120_000 }, async () => {
  const { handler, runs } = setup();
  const meta = signToolCall(signer(), "search-server", "search", { q: "x" }, policy);
  const text = meta[ENVELOPE_META_KEY];
  const at = text.lastIndexOf('"sig":"') + 10; // the message signature, not a link's
  const tampered = text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
  await refused(handler, runs, { q: "x" }, { [ENVELOPE_META_KEY]: tampered }, "authentication", "bad_signature");
});
