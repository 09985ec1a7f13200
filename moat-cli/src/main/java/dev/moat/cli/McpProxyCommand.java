package dev.moat.cli;

import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.mcp.HttpListener;
import dev.moat.mcp.HttpUpstream;
import dev.moat.mcp.McpLimits;
import dev.moat.mcp.McpProxy;
import dev.moat.mcp.StdioUpstream;
import dev.moat.mcp.Upstream;
import dev.moat.policy.Durations;
import dev.moat.policy.MoatPolicy;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moat mcp proxy --policy moat.yaml --agent NAME --server NAME (-- COMMAND ARGS... | --upstream URL)} */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run an MCP server behind Moat. The MCP client starts this command instead of the server.",
            "It speaks MCP on stdin/stdout, starts COMMAND as the real server (or reaches --upstream URL) and relays.",
            "Every tools/call is signed as --agent, checked (resource tool://mcp/SERVER/TOOL, action execute) and audited.",
            "tools/list shows only granted tools whose definitions match their pins (moat mcp approve).",
            "Requests from the server to the client pass only with action request on mcp://SERVER/METHOD.",
            "stdout carries the protocol only; messages for the operator go to stderr."})
final class McpProxyCommand extends CliCommand {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file (YAML).")
    String policy;

    @Option(names = "--agent", required = true, paramLabel = "NAME", description = "The agent the client acts as (a key in the policy).")
    String agent;

    @Option(names = "--server", required = true, paramLabel = "NAME", description = "The server's name in resources and in the tool lock file.")
    String server;

    @Option(names = "--max-message-bytes", paramLabel = "N", defaultValue = "16777216",
            description = "Largest JSON-RPC message from either side (default: ${DEFAULT-VALUE}); a larger one ends the session.")
    int maxMessageBytes;

    @Option(names = "--call-timeout", paramLabel = "DURATION", defaultValue = "120s",
            description = "How long a request may wait for the server (default: ${DEFAULT-VALUE}).")
    String callTimeout;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "A Streamable HTTP MCP server (http:// or https://) instead of a COMMAND.")
    String upstreamUrl;

    @Option(names = "--listen", paramLabel = "PORT",
            description = {"Serve the client over Streamable HTTP on 127.0.0.1:PORT (0: a free port) instead of stdio.",
                "A bearer secret made at each start is written with the URL to HOME/mcp-SERVER.listen.json (0600);",
                "clients send it as 'Authorization: Bearer ...'. One session per start."})
    Integer listenPort;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The MCP server's command and arguments (after --).")
    List<String> command = new ArrayList<>();

    @Override
    protected int execute() throws Exception {
        Path policyFile = resolve(policy);
        MoatPolicy loaded = McpHome.policy(policyFile);
        McpLimits limits;
        try {
            limits = McpLimits.DEFAULTS.withMaxMessageBytes(maxMessageBytes).withCallTimeout(Durations.parse(callTimeout));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        if ((upstreamUrl == null) == command.isEmpty()) {
            throw CliException.usage("give either a server COMMAND (after --) or --upstream URL");
        }
        Upstream upstream;
        try {
            upstream = upstreamUrl != null ? new HttpUpstream(java.net.URI.create(upstreamUrl)) : new StdioUpstream(command);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid --upstream: " + e.getMessage());
        }
        // stdout is the protocol: nothing else may write to it, so System.out is pointed at stderr
        OutputStream protocolOut = new FileOutputStream(FileDescriptor.out);
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(log);
        try (Moat moat = Moat.fromPolicy(policyFile)) {
            McpProxy proxy;
            try {
                proxy = McpProxy.builder(moat.guard(), agent, server).pins(McpHome.pins(loaded)).limits(limits).log(log)
                        .rules(moat.toolRules()).build();
            } catch (MoatException e) {
                throw CliException.denied("mcp_proxy", e.getMessage());
            }
            // SIGTERM from the client: stop the server and close the audit log (final checkpoint)
            Thread hook = new Thread(() -> {
                upstream.close(java.time.Duration.ofMillis(500));
                moat.close();
            }, "moat-mcp-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            if (listenPort == null) {
                return proxy.run(new FileInputStream(FileDescriptor.in), protocolOut, upstream);
            }
            Path tokenFile = McpHome.home(loaded).resolve("mcp-" + server + ".listen.json");
            try (HttpListener listener = HttpListener.start(listenPort, tokenFile, limits)) {
                log.println("moat mcp: listening on " + listener.url() + " (bearer secret in " + tokenFile + ")");
                return proxy.run(listener.clientIn(), listener.clientOut(), upstream);
            }
        }
    }
}
