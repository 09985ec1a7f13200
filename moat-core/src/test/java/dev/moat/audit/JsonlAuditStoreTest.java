package dev.moat.audit;

import static dev.moat.audit.AuditFixtures.LOG_KEY;
import static dev.moat.audit.AuditFixtures.OTHER_KEY;
import static dev.moat.audit.AuditFixtures.lines;
import static dev.moat.audit.AuditFixtures.verify;
import static dev.moat.audit.AuditFixtures.writeLines;
import static dev.moat.audit.AuditFixtures.writeLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JsonlAuditStoreTest {
    @TempDir
    Path dir;

    private static AuditLog open(Path log) {
        return AuditLog.builder(JsonlAuditStore.builder(log).build(), LOG_KEY).checkpointEvery(5).open();
    }

    private static AuditException openFailure(JsonlAuditStore.Builder store, AgentKeypair key) {
        Throwable t = catchThrowable(() -> AuditLog.builder(store.build(), key).open().close());
        assertThat(t).as("open must fail").isInstanceOf(AuditException.class);
        return (AuditException) t;
    }

    private static AuditException.Kind openFailure(JsonlAuditStore.Builder store) {
        return openFailure(store, LOG_KEY).kind();
    }

    private static AuditBreak.Kind corruptKind(JsonlAuditStore.Builder store) {
        AuditException e = openFailure(store, LOG_KEY);
        assertThat(e.kind()).isEqualTo(AuditException.Kind.CORRUPT);
        return e.breakage().kind();
    }

    @Test
    void newLogCreatesOwnerOnlyFilesAndSidecars() throws IOException {
        Path log = writeLog(dir, 3, 0);
        for (Path p : List.of(log, JsonlAuditStore.checkpointsPath(log), JsonlAuditStore.keyPath(log))) {
            assertThat(p).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rw-------");
        }
        assertThat(lines(log)).hasSize(3);
        assertThat(lines(JsonlAuditStore.checkpointsPath(log))).hasSize(1); // written on close
    }

    @Test
    void reopeningResumesTheChain() {
        Path log = writeLog(dir, 7, 5);
        try (AuditLog a = open(log)) {
            assertThat(a.size()).isEqualTo(7);
            AuditEntry e = a.append(AuditFixtures.event(1));
            assertThat(e.index()).isEqualTo(7);
        }
        assertThat(verify(log)).isInstanceOfSatisfying(AuditVerification.Intact.class, ok -> {
            assertThat(ok.entries()).isEqualTo(8);
            assertThat(ok.uncheckpointedEntries()).isZero();
        });
    }

    @Test
    void reopeningAnEmptyLogStartsAtGenesis() {
        Path log = writeLog(dir, 0, 5);
        try (AuditLog a = open(log)) {
            assertThat(a.size()).isZero();
            assertThat(a.append(AuditFixtures.event(0)).previousHash()).isEqualTo(AuditEntry.genesisHash());
        }
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void tornTailRefusesToOpen() throws IOException {
        Path log = writeLog(dir, 6, 5);
        Files.write(log, "{\"event\":{\"ki".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.TORN_TAIL);
        // nothing was changed by the refused open
        assertThat(Files.readString(log)).endsWith("{\"event\":{\"ki");
    }

    @Test
    void repairTornTailCutsItAndRecordsTheRepair() throws IOException {
        Path log = writeLog(dir, 6, 5);
        Files.write(log, "{\"event\":{\"ki".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).repairTornTail().build(), LOG_KEY).open()) {
            assertThat(a.size()).isEqualTo(7);
        }
        List<String> l = lines(log);
        AuditEntry repair = AuditVerifierTest.parse(l.get(6));
        assertThat(repair.event()).isInstanceOfSatisfying(AuditEvent.Lifecycle.class,
                lc -> assertThat(lc.kind()).isEqualTo(AuditEvent.Lifecycle.Kind.REPAIR));
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void tornCheckpointLineIsRepairedToo() throws IOException {
        Path log = writeLog(dir, 6, 5);
        Path cps = JsonlAuditStore.checkpointsPath(log);
        Files.write(cps, "{\"count\":6,".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.TORN_TAIL);
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).repairTornTail().build(), LOG_KEY).open()) {
            assertThat(a.size()).isEqualTo(7);
        }
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void anotherKeyIsRefused() {
        Path log = writeLog(dir, 2, 5);
        assertThat(openFailure(JsonlAuditStore.builder(log), OTHER_KEY).kind()).isEqualTo(AuditException.Kind.KEY_MISMATCH);
    }

    @Test
    void truncatedLogRefusesToOpen() throws IOException {
        Path log = writeLog(dir, 12, 5);
        writeLines(log, lines(log).subList(0, 8));
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.TRUNCATED);
    }

    @Test
    void editedLastEntryRefusesToOpen() throws IOException {
        Path log = writeLog(dir, 4, 0);
        List<String> l = lines(log);
        l.set(3, l.get(3).replaceFirst("agent:", "agenT:"));
        writeLines(log, l);
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.HASH_MISMATCH);
    }

    @Test
    void rewrittenTailRefusesToOpenWhenTheLastCheckpointDisagrees() throws IOException {
        Path log = writeLog(dir, 10, 5);
        writeLines(log, AuditVerifierTest.rewriteTail(lines(log), 8));
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.CHECKPOINT_MISMATCH);
    }

    @Test
    void middleEditIsCaughtOnOpenOnlyWithVerifyOnOpen() throws IOException {
        Path log = writeLog(dir, 10, 0);
        List<String> l = lines(log);
        l.set(2, l.get(2).replaceFirst("agent:", "agenT:"));
        writeLines(log, l);
        assertThat(corruptKind(JsonlAuditStore.builder(log).verifyOnOpen())).isEqualTo(AuditBreak.Kind.HASH_MISMATCH);
    }

    @Test
    void missingSidecarsRefuseToOpen() throws IOException {
        Path log = writeLog(dir, 3, 5);
        Files.delete(JsonlAuditStore.checkpointsPath(log));
        assertThat(corruptKind(JsonlAuditStore.builder(log))).isEqualTo(AuditBreak.Kind.MISSING);
        Path log2 = writeLog(dir.resolve("b"), 3, 5);
        Files.delete(log2);
        assertThat(corruptKind(JsonlAuditStore.builder(log2))).isEqualTo(AuditBreak.Kind.MISSING);
    }

    @Test
    void interruptedCreationIsRedone() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        Files.write(JsonlAuditStore.keyPath(log), LogKeyFile.encode(OTHER_KEY.publicKey()));
        Files.write(JsonlAuditStore.checkpointsPath(log), new byte[0]);
        try (AuditLog a = open(log)) {
            a.append(AuditFixtures.event(0));
        }
        assertThat(AuditVerifier.forFile(log).build().verify().isIntact()).isTrue(); // key file rewritten for LOG_KEY
    }

    @Test
    void secondWriterOnTheSameFileIsRefused() {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog first = open(log)) {
            first.append(AuditFixtures.event(0));
            assertThat(openFailure(JsonlAuditStore.builder(log))).isEqualTo(AuditException.Kind.STORE_FAILED);
            first.append(AuditFixtures.event(1));
        }
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void oversizedEntryIsRefusedAndTheLogStaysUsable() {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = open(log)) {
            a.append(AuditFixtures.event(0));
            String huge = "x".repeat(AuditEntry.MAX_LINE_BYTES);
            assertThatThrownBy(() -> a.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.CONFIG, huge, null)))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.OVERSIZED_ENTRY));
            assertThat(a.append(AuditFixtures.event(1)).index()).isEqualTo(1);
        }
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void batchedModeSyncsOnFlushAndOnTheTimer() throws Exception {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).durability(Durability.batched(1000, Duration.ofMillis(20))).build(), LOG_KEY)
                .checkpointEvery(0).open()) {
            for (int i = 0; i < 50; i++) {
                a.append(AuditFixtures.event(i));
            }
            // every entry is in the OS before append returns, whatever the fsync policy
            assertThat(lines(log)).hasSize(50);
            a.flush();
            Thread.sleep(60);
            a.append(AuditFixtures.event(0));
        }
        assertThat(verify(log)).isInstanceOfSatisfying(AuditVerification.Intact.class, ok -> assertThat(ok.entries()).isEqualTo(51));
    }

    @Test
    void interruptedAppenderDoesNotBreakTheLog() {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = open(log)) {
            Thread.currentThread().interrupt();
            a.append(AuditFixtures.event(0));
            assertThat(Thread.interrupted()).isTrue();
            a.append(AuditFixtures.event(1));
        }
        assertThat(verify(log).isIntact()).isTrue();
    }

    @Test
    void closedLogRefusesAppends() {
        Path log = dir.resolve("audit.jsonl");
        AuditLog a = open(log);
        a.close();
        a.close();
        assertThatThrownBy(() -> a.append(AuditFixtures.event(0)))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.CLOSED));
    }

    @Test
    void checkpointIsNeverAheadOfTheFileAfterEachAppend() throws IOException {
        Path log = dir.resolve("audit.jsonl");
        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).build(), LOG_KEY).checkpointEvery(3).open()) {
            for (int i = 0; i < 10; i++) {
                a.append(AuditFixtures.event(i));
                // what a crash right now would leave behind still verifies
                assertThat(verify(log).isIntact()).isTrue();
            }
        }
        byte[] cps = Files.readAllBytes(JsonlAuditStore.checkpointsPath(log));
        assertThat(new String(Arrays.copyOf(cps, cps.length), StandardCharsets.UTF_8).lines()).hasSize(4);
    }
}
