package dev.moat.cli;

import picocli.CommandLine.Command;

/** {@code moat mcp ...} */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Guard MCP servers: a proxy between any MCP client and server, and tool-definition approval.",
        subcommands = {McpProxyCommand.class, McpApprove.class})
final class McpCommand extends GroupCommand {}
