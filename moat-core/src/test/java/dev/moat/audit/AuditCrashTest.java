package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.identity.AgentKeypair;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Starts a child JVM that appends in a loop, kills it with SIGKILL ({@code destroyForcibly} on
 * Linux), then verifies what it left: every acknowledged entry is there and verifies; a torn last
 * line, if the kill left one, is reported as {@link AuditBreak.Kind#TORN_TAIL}, never as anything
 * else; and the log can be reopened (repairing the tail) and continued.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditCrashTest {
    @TempDir
    Path dir;

    private static final byte[] SEED = new byte[32];

    static {
        new java.security.SecureRandom().nextBytes(SEED);
    }

    private static AgentKeypair key() {
        return AgentKeypair.of("audit-log", Ed25519PrivateKey.fromSeed(SEED));
    }

    private Process startChild(Path log, String durability, int pad) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AuditCrashChild.class.getName(), log.toString(), durability, Base64.getEncoder().encodeToString(SEED), Integer.toString(pad)));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("child-" + durability + ".err").toFile()).start();
    }

    /** Runs the child until it has acknowledged at least {@code minAcks} entries, kills it, returns the last ack. */
    private long runAndKill(Path log, String durability, int pad, int minAcks) throws Exception {
        Process child = startChild(log, durability, pad);
        AtomicLong lastAck = new AtomicLong(-1);
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        long v = Long.parseLong(line.substring(4));
                        lastAck.set(v);
                        if (v + 1 >= minAcks) {
                            enough.countDown();
                        }
                    }
                }
            } catch (Exception ignored) {
                // stream closes when the child dies
            }
        });
        reader.setDaemon(true);
        reader.start();
        boolean ok = enough.await(60, TimeUnit.SECONDS);
        assertThat(ok).as("child acknowledged %d entries; stderr: %s", minAcks,
                Files.exists(dir.resolve("child-" + durability + ".err")) ? Files.readString(dir.resolve("child-" + durability + ".err")) : "").isTrue();
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 50));
        long ackedBeforeKill = lastAck.get();
        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL
        return Math.max(ackedBeforeKill, lastAck.get());
    }

    private static void assertSurvivorsVerify(Path log, long lastAck) {
        AuditVerification v = AuditVerifier.forFile(log).publicKey(key().publicKey()).build().verify();
        if (v instanceof AuditVerification.Broken b) {
            assertThat(b.kind()).as("only a torn tail may be left by a kill, got %s", b.breakage()).isEqualTo(AuditBreak.Kind.TORN_TAIL);
            assertThat(b.entriesVerified()).isGreaterThanOrEqualTo(lastAck + 1);
        } else {
            assertThat(((AuditVerification.Intact) v).entries()).isGreaterThanOrEqualTo(lastAck + 1);
        }
    }

    @ParameterizedTest(name = "{0}, {1}-byte entries")
    @CsvSource({"every, 10", "batched, 10", "batched, 70000"})
    void killedWriterLeavesAVerifiableLogWithEveryAcknowledgedEntry(String durability, int pad) throws Exception {
        Path log = dir.resolve("audit.jsonl");
        long lastAck = runAndKill(log, durability, pad, 200);
        assertSurvivorsVerify(log, lastAck);

        // a second life: the child reopens (repairing a torn tail if any), continues, and is killed again
        long lastAck2 = runAndKill(log, durability, pad, (int) lastAck + 150);
        assertThat(lastAck2).isGreaterThan(lastAck);
        assertSurvivorsVerify(log, lastAck2);

        // a clean close after the crashes leaves a fully checkpointed log
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).repairTornTail().build(), key()).open()) {
            a.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.STOP, "after crash test", null));
        }
        assertThat(AuditVerifier.forFile(log).publicKey(key().publicKey()).requireCheckpointAtHead().build().verify().isIntact()).isTrue();
    }

    @Test
    void simulatedTornWriteIsReportedAsTornTailAndRepairedOnRequest() throws Exception {
        // what a kill in the middle of a write(2) leaves: the first bytes of a line, no newline
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).build(), key()).checkpointEvery(0).open()) {
            for (int i = 0; i < 5; i++) {
                a.append(AuditFixtures.event(i));
            }
            // no close here would also be a crash; simulate it by dropping the close checkpoint below
        }
        Path cps = JsonlAuditStore.checkpointsPath(log);
        Files.write(cps, new byte[0]);
        AuditEntry next = AuditEntry.create(5, AuditFixtures.T0, AuditFixtures.event(5),
                AuditVerifierTest.parse(AuditFixtures.lines(log).get(4)).hash());
        byte[] line = next.toJsonLine().getBytes(StandardCharsets.UTF_8);
        Files.write(log, java.util.Arrays.copyOf(line, line.length / 2), java.nio.file.StandardOpenOption.APPEND);

        AuditVerification v = AuditVerifier.forFile(log).publicKey(key().publicKey()).build().verify();
        assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.TORN_TAIL);
            assertThat(b.breakage().index()).isEqualTo(5);
            assertThat(b.entriesVerified()).isEqualTo(5);
        });
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).repairTornTail().build(), key()).open()) {
            assertThat(a.size()).isEqualTo(6); // 5 entries + the repair record
        }
        assertThat(AuditVerifier.forFile(log).publicKey(key().publicKey()).build().verify().isIntact()).isTrue();
    }
}
