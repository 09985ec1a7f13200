package dev.moat.cli;

import dev.moat.MoatException;
import dev.moat.mcp.ToolPins;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat mcp approve --policy moat.yaml --server NAME [--tool T]... [--list]} */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = {"Approve changed or new tool definitions of an MCP server (the proxy refuses them until then).",
            "Without --tool, every pending definition of the server is approved; --list only shows them.",
            "A running proxy sees the approval at the tool's next call or listing."})
final class McpApprove extends CliCommand {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file (YAML); its home holds the lock file.")
    String policy;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "The server's name, as given to moat mcp proxy.")
    String server;

    @Option(names = "--tool", paramLabel = "TOOL", description = "A tool to approve (repeatable; default: all pending).")
    List<String> tools = List.of();

    @Option(names = "--list", description = "Show the pending definitions; approve nothing.")
    boolean list;

    @Override
    protected int execute() {
        ToolPins pins = McpHome.pins(McpHome.policy(resolve(policy)));
        List<ToolPins.Pending> shown;
        try {
            shown = list ? pins.pending(server) : pins.approve(server, new LinkedHashSet<>(tools));
        } catch (MoatException e) {
            throw CliException.denied("not_pending", e.getMessage());
        }
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("server", server);
            m.put(list ? "pending" : "approved", shown.stream().map(p -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("tool", p.tool());
                t.put("previous", p.approved());
                t.put("digest", p.pending());
                return t;
            }).toList());
            printJson(m);
            return 0;
        }
        if (shown.isEmpty()) {
            out().println("nothing pending for server " + server);
            return 0;
        }
        for (ToolPins.Pending p : shown) {
            out().println((list ? "pending  " : style().green("approved ")) + p.tool()
                    + (p.approved() == null ? "  (new tool)" : "  (changed definition)") + "  sha256 " + p.pending());
        }
        return 0;
    }
}
