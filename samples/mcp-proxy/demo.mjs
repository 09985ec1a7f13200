// `./moat demo mcp`: an MCP client (the official TypeScript SDK) starts Moat's proxy exactly as an
// assistant's configuration would (command + args, see README.md), in front of the real
// @modelcontextprotocol/server-filesystem, and tries what a model might.
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const folder = join(here, "shared-folder");
const command = join(root, "moat");
const args = ["mcp", "proxy", "--policy", join(here, "moat.yaml"), "--agent", "assistant", "--server", "files", "--",
  "node", join(here, "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"), folder];

console.log("client config:\n" + JSON.stringify({ mcpServers: { files: { command, args } } }, null, 2) + "\n");
const client = new Client({ name: "moat-demo", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command, args, stderr: "inherit" }));

const text = (r) => (r.content || []).filter((c) => c.type === "text").map((c) => c.text).join(" ").trim();
const show = async (label, name, a) => {
  const r = await client.callTool({ name, arguments: a });
  console.log(`${r.isError ? "REFUSED" : "ok     "}  ${label}\n         ${text(r).split("\n")[0]}`);
};

const tools = await client.listTools();
console.log(`tools the model sees (${tools.tools.length}): ${tools.tools.map((t) => t.name).join(", ")}\n`);
await show("read shared-folder/welcome.txt", "read_text_file", { path: join(folder, "welcome.txt") });
await show("write shared-folder/welcome.txt (write_file is not granted)", "write_file",
  { path: join(folder, "welcome.txt"), content: "overwritten" });
await show("read moat.yaml outside the folder (the server's own root check)", "read_text_file", { path: join(here, "moat.yaml") });
await client.close();
console.log("\naudit log: samples/mcp-proxy/.moat/audit.jsonl (check it: ./moat audit verify --path samples/mcp-proxy/.moat/audit.jsonl --key samples/mcp-proxy/.moat/keys/moat-audit.key)");
