package dev.moat.audit;

import dev.moat.audit.AuditEvent.Decision;
import dev.moat.audit.AuditEvent.Lifecycle;
import dev.moat.audit.AuditEvent.MonitorAlert;
import dev.moat.audit.AuditEvent.SandboxRun;
import dev.moat.audit.AuditEvent.SecretResolution;
import dev.moat.audit.AuditEvent.ToolOutcome;
import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Shared test data: one event of every type, keys, and helpers to edit log files as lines. */
final class AuditFixtures {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final AgentKeypair LOG_KEY = AgentKeypair.generate("audit-log");
    static final AgentKeypair OTHER_KEY = AgentKeypair.generate("intruder");

    private AuditFixtures() {}

    static Clock fixedClock() {
        return Clock.fixed(T0, ZoneOffset.UTC);
    }

    static List<AuditEvent> oneOfEach() {
        return List.of(
                new Decision("agent:alice", "tool://pay", "invoke", false, "pep3", "not_granted", "scope tool://pay not granted", "m-1", "{\"sig\":\"x\"}"),
                new Decision("agent:bob", "tool://read", "invoke", true, "pep3", null, null, "m-2", null),
                new ToolOutcome("agent:bob", "tool://read", "invoke", "m-2", ToolOutcome.Status.OK, "q83vEjRWeJA", null, 1234),
                new ToolOutcome("agent:bob", "tool://read", "invoke", "m-3", ToolOutcome.Status.ERROR, null, "timeout", 0),
                new SandboxRun("agent:bob", "abc", 42L, 65536, 900, 0, null),
                new SandboxRun("agent:bob", "abc", null, 0, 5, null, "fuel"),
                new SecretResolution("agent:bob", "h-1", "c2VjcmV0", true, null),
                new MonitorAlert("agent:eve", "burst", MonitorAlert.Action.BLOCK, "10 calls in 1 s"),
                new Lifecycle(Lifecycle.Kind.START, "moat 0.1 \u00e9\u4e2d\n\"quoted\"", "cfg"),
                new Lifecycle(Lifecycle.Kind.CONFIG, null, null));
    }

    static AuditEvent event(int i) {
        List<AuditEvent> all = oneOfEach();
        return all.get(i % all.size());
    }

    /** Writes {@code n} entries to a new JSONL log with a checkpoint every {@code every} entries, then closes it. */
    static Path writeLog(Path dir, int n, long every) {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).build(), LOG_KEY).checkpointEvery(every).open()) {
            for (int i = 0; i < n; i++) {
                a.append(event(i));
            }
        }
        return log;
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static AuditVerification verify(Path log) {
        return AuditVerifier.forFile(log).publicKey(LOG_KEY.publicKey()).build().verify();
    }
}
