"""An MCP server built with the official Python SDK (`mcp` 2.3.0, MCPServer) that speaks the
2026-07-28 revision when the client proposes it: `summarise` needs the client's model, which that
revision asks for inside the result (`resultType: input_required`), not as a request of its own."""

from typing import Annotated

from mcp.server.mcpserver import MCPServer, Resolve, Sample
from mcp_types import CreateMessageResult, SamplingMessage, TextContent

server = MCPServer("modern-server")


@server.tool()
def echo(message: str) -> str:
    """Echoes a message."""
    return f"echo: {message}"


def ask_model(text: str) -> Sample:
    return Sample([SamplingMessage(role="user", content=TextContent(type="text", text=f"Summarise: {text}"))], max_tokens=20)


@server.tool()
def summarise(text: str, summary: Annotated[CreateMessageResult, Resolve(ask_model)]) -> str:
    """Summarises a text with the client's model."""
    return f"summary: {summary.content.text}"


if __name__ == "__main__":
    server.run("stdio")
