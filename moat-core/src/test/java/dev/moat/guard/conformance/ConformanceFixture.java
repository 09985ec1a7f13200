package dev.moat.guard.conformance;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.guard.Guard;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.OffsetClock;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.replay.SequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The world a {@link GuardedToolCallConformance} case runs in: a trusted root, one agent
 * ({@link #AGENT}) holding a capability for {@code tool://echo} and {@code tool://read_file}
 * (execute) but not {@code tool://wire_money}, an in-memory audit log, a replay store that can be
 * made to fail, and three tool bodies that count their runs.
 *
 * <p>Integrations expose the tools under their names with these rules: {@code echo(text)} and
 * {@code wire_money(to, amount)} unconstrained; {@code read_file(path)} with {@code path}
 * constrained to lie under {@link #workspace()}.
 */
public final class ConformanceFixture implements AutoCloseable {
    public static final String AGENT = "assistant";
    public static final String ECHO = "echo";
    public static final String READ_FILE = "read_file";
    public static final String WIRE_MONEY = "wire_money";

    private final OffsetClock clock = new OffsetClock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair agent = AgentKeypair.generate(AGENT);
    private final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");
    private final InMemoryAuditStore auditStore = new InMemoryAuditStore();
    private final FailingStores.Sequences sequences = new FailingStores.Sequences(new InMemorySequenceStore());
    private final FailingStores.Audit failingAudit = new FailingStores.Audit(auditStore);
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Path workspace;
    private final Moat moat;

    public ConformanceFixture(Path dir) throws IOException {
        this(dir, b -> b);
    }

    /** With {@code customize} applied to the Moat builder last (for example {@code b -> b.detailedDenials(true)}). */
    public ConformanceFixture(Path dir, java.util.function.UnaryOperator<Moat.Builder> customize) throws IOException {
        this.workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(workspace.resolve("notes.txt"), "meeting at noon", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("secrets.txt"), "do not read", StandardCharsets.UTF_8);
        TokenChain rootChain = TokenChain.issue(root, Grant.to(root.id()).clock(clock)
                .allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        TokenChain agentChain = rootChain.delegate(root, Grant.to(agent.id()).clock(clock)
                .allow("tool://" + ECHO, "execute").allow("tool://" + READ_FILE, "execute")
                .validFor(Duration.ofMinutes(10)).build());
        this.moat = customize.apply(Moat.builder().clock(clock).agent(root).agent(agent).trustRoot("root")
                .capability(AGENT, agentChain)
                .sequenceStore(sequences)
                .auditLog(AuditLog.builder(failingAudit, auditKey).clock(clock).open()))
                .build();
    }

    public Guard guard() {
        return moat.guard();
    }

    public Moat moat() {
        return moat;
    }

    public Clock clock() {
        return clock;
    }

    /** The directory {@code read_file}'s {@code path} must stay under. Holds {@code notes.txt}. */
    public Path workspace() {
        return workspace;
    }

    // ---- tool bodies: integrations call these from their tool implementations ----

    public String echo(String text) {
        count(ECHO);
        return "echo:" + text;
    }

    public String readFile(String path) throws IOException {
        count(READ_FILE);
        return Files.readString(workspace.resolve(path), StandardCharsets.UTF_8);
    }

    public String wireMoney(String to, long amount) {
        count(WIRE_MONEY);
        return "sent " + amount + " to " + to;
    }

    /** How often the named tool's body ran. */
    public int runs(String tool) {
        AtomicInteger n = runs.get(tool);
        return n == null ? 0 : n.get();
    }

    // ---- ways the world goes wrong ----

    /** Moves the clock past the agent's token expiry (10 minutes). */
    public void expireToken() {
        clock.advance(Duration.ofMinutes(11));
    }

    public void revokeAgent() {
        moat.registry().revokeAgent(agent.id());
    }

    /** Records that sequence numbers far above any the agent will use were already accepted. */
    public void markSequencesUsed() {
        AgentId id = agent.id();
        sequences.advance(id, Long.MAX_VALUE - 1);
    }

    /** The replay store throws on its next use. */
    public void breakSequenceStore() {
        sequences.fail();
    }

    /** The audit store throws on its next append. */
    public void breakAuditStore() {
        failingAudit.fail();
    }

    // ---- what was recorded ----

    public List<AuditEvent> auditEvents() {
        return auditStore.entries().stream().map(AuditEntry::event).toList();
    }

    public List<AuditEvent.Decision> decisions() {
        return auditEvents().stream().filter(e -> e instanceof AuditEvent.Decision)
                .map(e -> (AuditEvent.Decision) e).toList();
    }

    public List<AuditEvent.ToolOutcome> outcomes() {
        return auditEvents().stream().filter(e -> e instanceof AuditEvent.ToolOutcome)
                .map(e -> (AuditEvent.ToolOutcome) e).toList();
    }

    public AuditVerification verifyAudit() {
        return AuditVerifier.verify(auditStore.entries(), auditStore.checkpoints(), auditKey.publicKey());
    }

    public SequenceStore sequences() {
        return sequences;
    }

    private void count(String tool) {
        runs.computeIfAbsent(tool, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void close() {
        try {
            moat.close();
        } catch (RuntimeException ignored) {
            // a test may have broken the audit store on purpose
        }
    }
}
