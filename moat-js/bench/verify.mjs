#!/usr/bin/env node
// Token verify and message verify per second in Node, with the same setup as moat-bench's
// TokenBenchmark.tokenVerify and MessageBenchmark.messageVerifyWire, and raw Node Ed25519 verify
// over the same bytes as the baseline. 3 warm-up and 5 measured iterations of 2 s each (as the JMH
// runs); prints mean ± standard deviation of wall-clock and CPU µs/op (process CPU time, which
// stays meaningful when other processes share the cores) and operations per second of CPU.
//   node bench/verify.mjs            (run `bash scripts/setup.sh` first to build dist/)
import * as nodeCrypto from "node:crypto";
import * as moat from "../dist/index.js";

const ITER_MS = Number(process.env.BENCH_ITER_MS ?? 2000);
const WARMUP = 3;
const MEASURE = 5;

function measure(name, op) {
  let sink = 0;
  const iteration = () => {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const start = process.hrtime.bigint();
    const end = start + BigInt(ITER_MS) * 1_000_000n;
    let now = start;
    while (now < end) {
      for (let i = 0; i < 64; i++) {
        sink ^= op() ? 1 : 0;
      }
      n += 64;
      now = process.hrtime.bigint();
    }
    const cpu = process.cpuUsage(cpu0);
    return [Number(now - start) / 1000 / n, (cpu.user + cpu.system) / n]; // µs per op: wall, CPU
  };
  for (let i = 0; i < WARMUP; i++) {
    iteration();
  }
  const wall = [];
  const cpu = [];
  for (let i = 0; i < MEASURE; i++) {
    const [w, c] = iteration();
    wall.push(w);
    cpu.push(c);
  }
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const sd = (v) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1));
  console.log(`${name.padEnd(34)} ${mean(wall).toFixed(2).padStart(9)} ± ${sd(wall).toFixed(2)} µs/op wall  ` +
    `${mean(cpu).toFixed(2).padStart(8)} ± ${sd(cpu).toFixed(2)} µs/op cpu  ${Math.round(1e6 / mean(cpu)).toString().padStart(7)} ops/s (cpu)`);
  return sink;
}

// TokenBenchmark: one-link chain, verified as an already parsed chain.
const issuer = moat.Keypair.generate();
const worker = moat.Keypair.generate();
const chain = moat.issueToken(issuer, {
  subject: worker.id,
  allow: [{ resource: "tool://analyze", actions: ["read", "execute"] }],
  deny: [{ resource: "tool://analyze/secrets/**", actions: ["*"] }],
  limits: { fuel: 1_000_000n },
  validForMs: 3600_000,
});
const verifier = new moat.TokenVerifier({ trustedRoots: [issuer.id] });
verifier.verify(chain);
const link = chain.links[0];
const tokenFramed = moat.frame(moat.Domain.TOKEN, link.payload);
const issuerKey = nodeCrypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: issuer.publicKeyBase64Url }, format: "jwk" });

// MessageBenchmark: 2-link chain, 256-byte body, verified from wire bytes.
const root = moat.Keypair.generate();
const w2 = moat.Keypair.generate();
const mchain = moat.issueToken(root, { subject: root.id, allow: [{ resource: "tool://**", actions: ["*"] }], validForMs: 3600_000 })
  .delegate(root, { subject: w2.id, allow: [{ resource: "tool://analyze", actions: ["read"] }], validForMs: 1800_000 });
const signer = new moat.MessageSigner(w2, mchain, "pep-a");
const policy = moat.policyBinding("bench", new TextEncoder().encode("policy"));
const env = signer.sign("moat:guard", "tool://analyze", "read", new Uint8Array(256).fill(0x78), policy);
const wire = env.encode();
moat.verifyMessage(wire);
const msgFramed = moat.frame(moat.Domain.MESSAGE, env.header);
const senderKey = nodeCrypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: w2.publicKeyBase64Url }, format: "jwk" });

console.log(`node ${process.version}, ${ITER_MS} ms iterations, ${WARMUP} warm-up + ${MEASURE} measured`);
measure("raw Ed25519 verify (token bytes)", () => nodeCrypto.verify(null, tokenFramed, issuerKey, link.sig));
measure("token verify (one-link chain)", () => verifier.verify(chain) !== null);
measure("raw Ed25519 verify (header bytes)", () => nodeCrypto.verify(null, msgFramed, senderKey, env.signature));
measure("message verify (wire, 256 B body)", () => moat.verifyMessage(wire) !== null);
