"""A tiny real MCP server (the `mcp` package's FastMCP, stdio transport) for the tests. Each call of
`add` appends a line to the file named by $MOAT_MCP_SIDE_EFFECTS, so tests can count real runs."""
import os

from mcp.server.fastmcp import FastMCP

server = FastMCP("calc")


@server.tool()
def add(a: int, b: int) -> str:
    """Add two integers."""
    with open(os.environ["MOAT_MCP_SIDE_EFFECTS"], "a", encoding="utf-8") as f:
        f.write(f"{a}+{b}\n")
    return str(a + b)


@server.tool()
def sub(a: int, b: int) -> str:
    """Subtract two integers."""
    with open(os.environ["MOAT_MCP_SIDE_EFFECTS"], "a", encoding="utf-8") as f:
        f.write(f"{a}-{b}\n")
    return str(a - b)


if __name__ == "__main__":
    server.run("stdio")
