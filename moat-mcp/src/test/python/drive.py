"""A real MCP client (the official Python SDK, `mcp` 2.3.0) that speaks to the Moat proxy over its
own stdin/stdout, like drive.mjs for the TypeScript SDK. It first proposes the 2026-07-28
`server/discover` handshake and falls back to `initialize` when the server does not know it, as the
SDK's own auto negotiation does.

usage: python drive.py OPS.json RESULT.json   (ops: [{"op":"list"}, {"op":"call","name":..,"args":{..}}])
"""

import json
import os
import sys

import anyio
from mcp import ClientSession
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError


def text(result):
    return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")


async def main(ops_file, result_file):
    with open(ops_file, encoding="utf-8") as f:
        ops = json.load(f)
    results = []

    def save():
        with open(result_file, "w", encoding="utf-8") as f:
            json.dump(results, f)

    async with stdio_server() as (read, write):
        async with ClientSession(read, write) as session:
            try:
                await session.discover()
                handshake = "discover"
            except MCPError as e:
                results.append({"op": "discover", "ok": False, "code": e.error.code})
                init = await session.initialize()
                handshake = "initialize " + init.protocol_version
            results.insert(0, {"op": "connect", "ok": True, "handshake": handshake})
            save()
            for op in ops:
                try:
                    if op["op"] == "list":
                        r = await session.list_tools()
                        results.append({"op": "list", "ok": True, "tools": [t.name for t in r.tools]})
                    elif op["op"] == "call":
                        r = await session.call_tool(op["name"], op.get("args", {}))
                        results.append({"op": "call", "ok": True, "isError": bool(r.is_error), "text": text(r)})
                except Exception as e:  # recorded for the Java test to assert on
                    results.append({"op": op["op"], "ok": False, "error": str(e)})
                save()
            # leaving stdio_server() waits for its stdin reader, a worker thread blocked on a read
            # that only returns at EOF: end the process here, which closes the proxy's input
            os._exit(0)


if __name__ == "__main__":
    anyio.run(main, sys.argv[1], sys.argv[2])
