// Latency Moat's MCP proxy adds per tools/call: the official TypeScript SDK client calls
// server-everything's `echo` directly and through `moat mcp proxy` (same run, alternating rounds),
// sequentially (latency) and with 8 calls in flight (throughput).
// usage: node bench.mjs PROXY_COMMAND_JSON [calls-per-round] [rounds]
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const server = ["node", join(here, "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "stdio"];
const proxy = JSON.parse(process.argv[2]);
const perRound = Number(process.argv[3] ?? 2000);
const rounds = Number(process.argv[4] ?? 5);

async function connect(cmd) {
  const c = new Client({ name: "moat-bench", version: "1.0.0" });
  await c.connect(new StdioClientTransport({ command: cmd[0], args: cmd.slice(1), stderr: process.env.BENCH_STDERR ? "inherit" : "ignore" }));
  await c.listTools();
  return c;
}

const args = { message: "benchmark payload of a typical size: " + "x".repeat(64) };
async function sequential(c, n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    const r = await c.callTool({ name: "echo", arguments: args });
    t.push(Number(process.hrtime.bigint() - s) / 1000);
    if (r.isError) throw new Error("call failed: " + JSON.stringify(r));
  }
  return t;
}
async function concurrent(c, n, inFlight) {
  const s = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < n) await c.callTool({ name: "echo", arguments: args });
  }));
  return n / (Number(process.hrtime.bigint() - s) / 1e9);
}
async function pings(c, n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await c.ping();
    t.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  return t;
}
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const direct = await connect(server);
const guarded = await connect([...proxy, "--", ...server]);
await sequential(direct, perRound); await sequential(guarded, perRound); // warm-up (JIT on both sides)
const d = [], g = [], dq = [], gq = [], dp = [], gp = [];
for (let r = 0; r < rounds; r++) {
  d.push(...await sequential(direct, perRound));
  g.push(...await sequential(guarded, perRound));
  dp.push(...await pings(direct, perRound));
  gp.push(...await pings(guarded, perRound));
  dq.push(await concurrent(direct, perRound, 8));
  gq.push(await concurrent(guarded, perRound, 8));
}
await direct.close(); await guarded.close();
const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
const row = (name, t, q) => `${name.padEnd(8)} p50 ${pct(t, 0.5).toFixed(0).padStart(5)} us  mean ${mean(t).toFixed(0).padStart(5)} us  p99 ${pct(t, 0.99).toFixed(0).padStart(6)} us  sequential ${(1e6 / mean(t)).toFixed(0).padStart(5)} calls/s  8 in flight ${mean(q).toFixed(0).padStart(5)} calls/s`;
console.log(`calls: ${rounds} rounds x ${perRound} per mode, echo tool of server-everything, TypeScript SDK client`);
console.log(row("direct", d, dq));
console.log(row("proxied", g, gq));
console.log(`added    p50 ${(pct(g, 0.5) - pct(d, 0.5)).toFixed(0)} us  mean ${(mean(g) - mean(d)).toFixed(0)} us  per tools/call (guarded)`);
const relay = pct(gp, 0.5) - pct(dp, 0.5);
console.log(`ping     direct p50 ${pct(dp, 0.5).toFixed(0)} us, proxied p50 ${pct(gp, 0.5).toFixed(0)} us: relaying alone adds ${relay.toFixed(0)} us (p50)`);
console.log(`so the guard (canonical arguments, sign, PEP, replay fsync, audit of decision and outcome) is about ${(pct(g, 0.5) - pct(d, 0.5) - relay).toFixed(0)} us of the added p50`);
