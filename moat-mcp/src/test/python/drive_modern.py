"""The official Python SDK's high-level `Client` (auto negotiation: 2026-07-28 when the server
offers it; it drives `input_required` rounds itself) over its own stdin/stdout, for the Moat proxy.
Its sampling callback records that it ran.

usage: python drive_modern.py OPS.json RESULT.json
"""

import json
import os
import sys

import anyio
from mcp import Client
from mcp.server.stdio import stdio_server
from mcp_types import CreateMessageResult, TextContent


async def main(ops_file, result_file):
    with open(ops_file, encoding="utf-8") as f:
        ops = json.load(f)
    results = []
    sampled = []

    def save():
        with open(result_file, "w", encoding="utf-8") as f:
            json.dump(results, f)

    async def sampling(context, params):
        sampled.append(1)
        return CreateMessageResult(role="assistant", content=TextContent(type="text", text="short"), model="test-model")

    async with Client(stdio_server(), sampling_callback=sampling) as client:
        results.append({"op": "connect", "ok": True, "version": client.session._negotiated_version})
        save()
        for op in ops:
            try:
                if op["op"] == "list":
                    r = await client.list_tools()
                    results.append({"op": "list", "ok": True, "tools": [t.name for t in r.tools]})
                elif op["op"] == "call":
                    r = await client.call_tool(op["name"], op.get("args", {}))
                    text = "\n".join(c.text for c in r.content if getattr(c, "type", None) == "text")
                    results.append({"op": "call", "ok": True, "isError": bool(r.is_error), "text": text, "sampled": len(sampled)})
            except Exception as e:  # recorded for the Java test to assert on
                results.append({"op": op["op"], "ok": False, "error": str(e), "sampled": len(sampled)})
            save()
        os._exit(0)  # see drive.py: the stdin reader thread would hold the exit


if __name__ == "__main__":
    anyio.run(main, sys.argv[1], sys.argv[2])
