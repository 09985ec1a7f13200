// A Streamable HTTP MCP server built with the official TypeScript SDK (StreamableHTTPServerTransport,
// sessions), on 127.0.0.1 and a free port that it prints as its first line of stdout.
// usage: node http-server.mjs [json]   (json: answers as application/json instead of event streams)
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const json = process.argv[2] === "json";
const transports = {};
function mcpServer() {
  const s = new McpServer({ name: "http-server", version: "1.0.0" });
  s.registerTool("echo", { description: "Echoes a message.", inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: "text", text: `echo: ${message}` }] }));
  s.registerTool("delete_everything", { description: "Deletes everything.", inputSchema: {} },
    async () => ({ content: [{ type: "text", text: "everything deleted" }] }));
  return s;
}
const server = http.createServer(async (req, res) => {
  try {
    let body;
    if (req.method === "POST") {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    }
    const sid = req.headers["mcp-session-id"];
    let t = sid ? transports[sid] : undefined;
    if (!t) {
      if (req.method !== "POST" || body?.method !== "initialize") {
        res.writeHead(sid ? 404 : 400).end();
        return;
      }
      t = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: json,
        onsessioninitialized: (id) => { transports[id] = t; },
      });
      t.onclose = () => { if (t.sessionId) delete transports[t.sessionId]; };
      await mcpServer().connect(t);
    }
    await t.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500).end(String(e));
  }
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
