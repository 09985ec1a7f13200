// A real MCP client (the official TypeScript SDK's Client) that speaks to the Moat proxy over its own
// stdin/stdout, the way an assistant that started `moat mcp proxy` does. The Java tests start this
// script, hand its stdio to the proxy and read what the client saw from the result file.
// usage: node drive.mjs OPS.json RESULT.json
//   ops: [{"op":"list"}, {"op":"call","name":"...","args":{...}}, {"op":"waitFile","path":"..."},
//         {"op":"sleep","ms":100}, {"op":"callNoWait","name":"...","args":{...}}, {"op":"exit"}]
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const [opsFile, resultFile] = process.argv.slice(2);
const ops = JSON.parse(readFileSync(opsFile, "utf8"));
const results = [];
const save = () => writeFileSync(resultFile, JSON.stringify(results));
// DRIVE_SAMPLING=1: the client offers sampling (server-everything then lists trigger-sampling-request)
const sampling = process.env.DRIVE_SAMPLING === "1";
const client = new Client({ name: "moat-test-client", version: "1.0.0" }, { capabilities: sampling ? { sampling: {} } : {} });
let sampled = 0;
if (sampling) {
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    sampled++;
    return { role: "assistant", content: { type: "text", text: "sampled by the test client" }, model: "test-model" };
  });
}
const timeout = 15000;
let transport;

function text(result) {
  return (result.content || []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
}

try {
  // DRIVE_HTTP_URL (+ DRIVE_HTTP_TOKEN): connect to the proxy's loopback listener instead of stdio
  transport = process.env.DRIVE_HTTP_URL
    ? new StreamableHTTPClientTransport(new URL(process.env.DRIVE_HTTP_URL),
        { requestInit: { headers: { Authorization: `Bearer ${process.env.DRIVE_HTTP_TOKEN ?? ""}` } } })
    : new StdioServerTransport();
  await client.connect(transport);
  results.push({ op: "connect", ok: true, server: client.getServerVersion()?.name ?? null });
  for (const op of ops) {
    try {
      if (op.op === "list") {
        const r = await client.listTools({}, { timeout: op.timeout ?? timeout });
        results.push({ op: "list", ok: true, tools: r.tools.map((t) => t.name) });
      } else if (op.op === "call") {
        const r = await client.callTool({ name: op.name, arguments: op.args ?? {} }, undefined, { timeout: op.timeout ?? timeout });
        results.push({ op: "call", ok: true, isError: r.isError === true, text: text(r), sampled });
      } else if (op.op === "callNoWait") {
        client.callTool({ name: op.name, arguments: op.args ?? {} }, undefined, { timeout }).catch(() => {});
        results.push({ op: "callNoWait", ok: true });
      } else if (op.op === "waitFile") {
        const deadline = Date.now() + 15000;
        while (!existsSync(op.path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        results.push({ op: "waitFile", ok: existsSync(op.path) });
      } else if (op.op === "sleep") {
        await new Promise((r) => setTimeout(r, op.ms));
        results.push({ op: "sleep", ok: true });
      } else if (op.op === "exit") {
        save();
        await transport?.terminateSession?.().catch(() => {});
        process.exit(0);
      }
    } catch (e) {
      results.push({ op: op.op, ok: false, error: String(e?.message ?? e), code: e?.code ?? null, sampled });
    }
    save();
  }
} catch (e) {
  results.push({ op: "connect", ok: false, error: String(e?.message ?? e) });
}
save();
await transport?.terminateSession?.().catch(() => {});
await client.close().catch(() => {});
process.exit(0);
