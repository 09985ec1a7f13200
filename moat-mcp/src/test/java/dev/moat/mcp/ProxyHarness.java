package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Moat (owner root, agent {@code assistant} with the given grants, in-memory audit) and a home
 * with the tool lock file; {@link #session} runs the real TypeScript SDK client (drive.mjs) against
 * the proxy in front of a real server command.
 */
final class ProxyHarness implements AutoCloseable {
    /** The defaults with a short shutdown grace: servers that ignore the end of their input are stopped sooner. */
    static final McpLimits QUICK = McpLimits.DEFAULTS.withShutdownGrace(java.time.Duration.ofMillis(300));
    static final Path NODE_DIR = Path.of(System.getProperty("moat.mcp.node.dir", "src/test/node")).toAbsolutePath();

    final AgentKeypair owner = AgentKeypair.generate("owner");
    final AgentKeypair assistant = AgentKeypair.generate("assistant");
    final InMemoryAuditStore store = new InMemoryAuditStore();
    final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");
    final Moat moat;
    final Path home;
    final ToolPins pins;
    final ByteArrayOutputStream operatorLog = new ByteArrayOutputStream();

    ProxyHarness(Path home, Consumer<Grant.Builder> grants) {
        Grant.Builder g = Grant.to(assistant.id()).validFor(Duration.ofHours(1));
        grants.accept(g);
        this.moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner")
                .capability("assistant", TokenChain.issue(owner, g.build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, auditKey).open())
                .build();
        this.home = home;
        this.pins = ToolPins.inHome(home);
    }

    static List<String> node(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("node", NODE_DIR.resolve(script).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> filesystemServer(Path root) {
        return node("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", root.toString());
    }

    static List<String> everythingServer() {
        return node("node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio");
    }

    McpProxy proxy(String server, McpLimits limits) {
        return proxy(server, limits, dev.moat.tool.ToolRules.empty());
    }

    /** With the policy's tool rules ({@code tools:} entries {@code mcp/<server>/<tool>}). */
    McpProxy proxy(String server, McpLimits limits, dev.moat.tool.ToolRules rules) {
        return McpProxy.builder(moat.guard(), "assistant", server).pins(pins).limits(limits).rules(rules)
                .log(new PrintStream(operatorLog, true, StandardCharsets.UTF_8)).build();
    }

    /** What the client saw, one node per op (plus the first, "connect"), and the proxy's exit code. */
    record Session(List<JsonNode> results, int exitCode, String clientLog) {
        JsonNode op(int i) {
            return results.get(i + 1);
        }
    }

    Session session(String server, Upstream upstream, McpLimits limits, List<Map<String, Object>> ops) throws Exception {
        return session(server, upstream, limits, ops, Map.of());
    }

    Session session(String server, Upstream upstream, McpLimits limits, List<Map<String, Object>> ops,
                    Map<String, String> clientEnv) throws Exception {
        return session(server, upstream, limits, ops, clientEnv, (o, r) -> node("drive.mjs", o, r));
    }

    static final Path PYTHON = Path.of(System.getProperty("moat.mcp.python", "target/mcp-venv/bin/python")).toAbsolutePath();

    /** As {@link #session}, with the official Python SDK client (drive.py) instead of the TypeScript one. */
    Session pythonSession(String server, Upstream upstream, List<Map<String, Object>> ops) throws Exception {
        return pythonSession("drive.py", server, upstream, ops);
    }

    /** With one of the Python drivers in src/test/python. */
    Session pythonSession(String script, String server, Upstream upstream, List<Map<String, Object>> ops) throws Exception {
        return session(server, upstream, QUICK, ops, Map.of(), (o, r) -> python(script, o, r));
    }

    static List<String> python(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), NODE_DIR.resolveSibling("python").resolve(script).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Session session(String server, Upstream upstream, McpLimits limits, List<Map<String, Object>> ops,
                    Map<String, String> clientEnv, java.util.function.BiFunction<String, String, List<String>> clientCommand)
            throws Exception {
        Path dir = Files.createTempDirectory(home, "session");
        Path opsFile = dir.resolve("ops.json");
        Path resultFile = dir.resolve("result.json");
        Path clientLog = dir.resolve("client.log");
        Files.write(opsFile, JsonRpc.MAPPER.writeValueAsBytes(ops));
        ProcessBuilder pb = new ProcessBuilder(clientCommand.apply(opsFile.toString(), resultFile.toString()))
                .directory(NODE_DIR.toFile())
                .redirectError(clientLog.toFile());
        pb.environment().putAll(clientEnv);
        Process client = pb.start();
        int exit;
        try {
            exit = proxy(server, limits).run(client.getInputStream(), client.getOutputStream(), upstream);
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).as("client exits").isTrue();
        } finally {
            client.destroyForcibly();
        }
        List<JsonNode> results = new ArrayList<>();
        if (Files.exists(resultFile)) {
            JsonRpc.MAPPER.readTree(resultFile.toFile()).forEach(results::add);
        }
        String log = Files.readString(clientLog);
        assertThat(results).as("client results; client log:\n" + log + "\noperator log:\n" + operatorLog()).isNotEmpty();
        assertThat(results.get(0).path("ok").asBoolean()).as("client connected: " + results.get(0) + "\n" + log).isTrue();
        return new Session(results, exit, log);
    }

    Session session(String server, List<String> serverCommand, List<Map<String, Object>> ops) throws Exception {
        return session(server, new StdioUpstream(serverCommand), QUICK, ops);
    }

    String operatorLog() {
        return operatorLog.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Object> list() {
        return Map.of("op", "list");
    }

    static Map<String, Object> call(String name, Map<String, Object> args) {
        return Map.of("op", "call", "name", name, "args", args);
    }

    List<AuditEvent> events() {
        moat.audit().flush();
        return store.entries().stream().map(AuditEntry::event).toList();
    }

    List<AuditEvent.Decision> decisions(String resource) {
        return events().stream().filter(e -> e instanceof AuditEvent.Decision d && resource.equals(d.resource()))
                .map(e -> (AuditEvent.Decision) e).toList();
    }

    List<AuditEvent.ToolOutcome> outcomes(String resource) {
        return events().stream().filter(e -> e instanceof AuditEvent.ToolOutcome o && resource.equals(o.resource()))
                .map(e -> (AuditEvent.ToolOutcome) e).toList();
    }

    void assertAuditIntact() {
        moat.audit().flush();
        assertThat(AuditVerifier.verify(store.entries(), store.checkpoints(), auditKey.publicKey()).isIntact())
                .as("audit chain verifies").isTrue();
    }

    @Override
    public void close() throws IOException {
        moat.close();
    }
}
