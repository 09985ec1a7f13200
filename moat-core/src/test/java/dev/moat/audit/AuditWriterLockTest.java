package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.identity.AgentKeypair;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: a POSIX record lock is dropped by the process as soon as it closes any descriptor of
 * the locked file. Verifying the log in-process, {@code verifyOnOpen()}, a plain read of the log,
 * and a second (refused) open in the same JVM all close such descriptors. After each of them, a
 * real second JVM must still be refused as a writer, so the chain cannot fork.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuditWriterLockTest {
    @TempDir
    Path dir;

    private static final byte[] SEED = new byte[32];

    static {
        new SecureRandom().nextBytes(SEED);
    }

    private static AgentKeypair key() {
        return AgentKeypair.of("audit-log", Ed25519PrivateKey.fromSeed(SEED));
    }

    /** Runs {@link AuditLockChild} against {@code log}; returns its first output line. */
    private String childTriesToWrite(Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AuditLockChild.class.getName(), log.toString(), Base64.getEncoder().encodeToString(SEED)))
                .redirectError(dir.resolve("child.err").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(out).as("child stderr: %s", Files.readString(dir.resolve("child.err"))).isNotEmpty();
        return out;
    }

    @Test
    void writerLockSurvivesEveryInProcessCloseOfTheLogsDescriptors() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog first = AuditLog.builder(JsonlAuditStore.builder(log).build(), key()).checkpointEvery(10).open()) {
            first.append(AuditFixtures.event(0));
        }
        // the documented verifyOnOpen() opens and closes the log through the verifier
        try (AuditLog writer = AuditLog.builder(JsonlAuditStore.builder(log).verifyOnOpen().build(), key()).checkpointEvery(10).open()) {
            writer.append(AuditFixtures.event(1));
            assertThat(childTriesToWrite(log)).isEqualTo("refused STORE_FAILED");

            // verifying the live log in-process
            assertThat(AuditVerifier.forFile(log).publicKey(key().publicKey()).build().verify().isIntact()).isTrue();
            assertThat(childTriesToWrite(log)).isEqualTo("refused STORE_FAILED");

            // any other read of the log file and its sidecars
            for (Path f : List.of(log, JsonlAuditStore.checkpointsPath(log), JsonlAuditStore.keyPath(log))) {
                try (FileInputStream in = new FileInputStream(f.toFile())) {
                    in.read();
                }
            }
            assertThat(childTriesToWrite(log)).isEqualTo("refused STORE_FAILED");

            // a second open in this JVM is refused, and refusing it does not free the lock
            assertThatThrownBy(() -> AuditLog.builder(JsonlAuditStore.builder(log).build(), key()).open())
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.STORE_FAILED));
            assertThatThrownBy(() -> AuditLog.builder(JsonlAuditStore.builder(dir.resolve("./audit.jsonl")).build(), key()).open())
                    .isInstanceOf(AuditException.class);
            assertThat(childTriesToWrite(log)).isEqualTo("refused STORE_FAILED");

            writer.append(AuditFixtures.event(2)); // the holder still writes
        }
        // released on close: now another process may write, and the chain never forked
        assertThat(childTriesToWrite(log)).isEqualTo("opened");
        assertThat(AuditVerifier.forFile(log).publicKey(key().publicKey()).requireCheckpointAtHead().build().verify().isIntact()).isTrue();
    }

    @Test
    void aLogHeldByAnotherProcessIsRefusedHere() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AuditLockChild.class.getName(), log.toString(), Base64.getEncoder().encodeToString(SEED), "hold"))
                .redirectError(dir.resolve("holder.err").toFile()).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("opened");
            for (int i = 0; i < 2; i++) { // refused, and refusing does not disturb the holder
                assertThatThrownBy(() -> AuditLog.builder(JsonlAuditStore.builder(log).build(), key()).checkpointEvery(10).open())
                        .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.STORE_FAILED));
            }
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(holder.exitValue()).isZero();
        try (AuditLog after = AuditLog.builder(JsonlAuditStore.builder(log).build(), key()).checkpointEvery(10).open()) {
            assertThat(after.size()).isEqualTo(1);
        }
    }
}
