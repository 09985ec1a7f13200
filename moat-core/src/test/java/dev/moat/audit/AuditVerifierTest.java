package dev.moat.audit;

import static dev.moat.audit.AuditFixtures.LOG_KEY;
import static dev.moat.audit.AuditFixtures.OTHER_KEY;
import static dev.moat.audit.AuditFixtures.lines;
import static dev.moat.audit.AuditFixtures.verify;
import static dev.moat.audit.AuditFixtures.writeLines;
import static dev.moat.audit.AuditFixtures.writeLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditBreak.Kind;
import dev.moat.audit.AuditBreak.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditVerifierTest {
    private static final int N = 20;

    @TempDir
    Path dir;
    Path log;
    Path cps;

    @BeforeEach
    void writeCleanLog() {
        log = writeLog(dir, N, 5); // checkpoints at 5, 10, 15, 20
        cps = JsonlAuditStore.checkpointsPath(log);
    }

    private static AuditBreak broken(AuditVerification v) {
        assertThat(v).isInstanceOf(AuditVerification.Broken.class);
        return ((AuditVerification.Broken) v).breakage();
    }

    @Test
    void cleanLogIsIntactWithEveryCheckpointVerified() {
        AuditVerification v = verify(log);
        assertThat(v).isInstanceOfSatisfying(AuditVerification.Intact.class, ok -> {
            assertThat(ok.entries()).isEqualTo(N);
            assertThat(ok.checkpointsVerified()).isEqualTo(4);
            assertThat(ok.uncheckpointedEntries()).isZero();
            assertThat(ok.keyTrust()).isEqualTo(AuditVerification.KeyTrust.PROVIDED);
        });
    }

    @Test
    void withoutAKeyTheKeyFileIsUsedAndTheResultSaysSelfAsserted() {
        AuditVerification v = AuditVerifier.forFile(log).build().verify();
        assertThat(v).isInstanceOfSatisfying(AuditVerification.Intact.class,
                ok -> assertThat(ok.keyTrust()).isEqualTo(AuditVerification.KeyTrust.SELF_ASSERTED));
    }

    @Test
    void headHashIsTheLastEntrysHash() throws IOException {
        AuditVerification v = verify(log);
        String last = lines(log).get(N - 1);
        byte[] lineBytes = last.getBytes(StandardCharsets.UTF_8);
        byte[] expected = AuditEntryCodec.parse(lineBytes, lineBytes.length).entry().hash();
        assertThat(((AuditVerification.Intact) v).headHash()).isEqualTo(expected);
    }

    @Test
    void changedFieldValueIsAHashMismatchAtThatIndex() throws IOException {
        List<String> l = lines(log);
        l.set(7, l.get(7).replaceFirst("agent:", "agenT:"));
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.HASH_MISMATCH);
        assertThat(b.index()).isEqualTo(7);
        assertThat(b.line()).isEqualTo(8);
    }

    @Test
    void changedStoredHashIsAHashMismatchAtThatIndex() throws IOException {
        List<String> l = lines(log);
        String line = l.get(3);
        int at = line.indexOf("\"hash\":\"") + 10;
        char c = line.charAt(at);
        l.set(3, line.substring(0, at) + (c == 'A' ? 'B' : 'A') + line.substring(at + 1));
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.HASH_MISMATCH);
        assertThat(b.index()).isEqualTo(3);
    }

    @Test
    void brokenJsonIsMalformed() throws IOException {
        List<String> l = lines(log);
        l.set(2, l.get(2).substring(1));
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.MALFORMED_LINE);
        assertThat(b.index()).isEqualTo(2);
    }

    @Test
    void deletedLineIsAnIndexGap() throws IOException {
        List<String> l = lines(log);
        l.remove(11);
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.INDEX_GAP);
        assertThat(b.index()).isEqualTo(11);
    }

    @Test
    void duplicatedLineIsAnIndexGap() throws IOException {
        List<String> l = lines(log);
        l.add(4, l.get(4));
        writeLines(log, l);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.INDEX_GAP);
    }

    @Test
    void reorderedLinesAreAnIndexGap() throws IOException {
        List<String> l = lines(log);
        Collections.swap(l, 12, 13);
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.INDEX_GAP);
        assertThat(b.index()).isEqualTo(12);
    }

    @Test
    void entryMovedWithItsIndexRewrittenIsAPreviousHashMismatch() throws IOException {
        // an attacker renumbers entry 9 as 8 after deleting entry 8: the index fits, the chain does not
        List<String> l = lines(log);
        String moved = l.get(9).replace("\"index\":9,", "\"index\":8,");
        l.remove(9);
        l.set(8, moved);
        writeLines(log, l);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.PREVIOUS_HASH_MISMATCH);
        assertThat(b.index()).isEqualTo(8);
    }

    @Test
    void deletedTailIsTruncation() throws IOException {
        List<String> l = lines(log);
        writeLines(log, l.subList(0, 17));
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.TRUNCATED);
        assertThat(b.index()).isEqualTo(17);
    }

    @Test
    void tailCutMidLineBelowACheckpointIsTruncationNotATornTail() throws IOException {
        byte[] all = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(all, all.length - 30));
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.TRUNCATED);
    }

    @Test
    void unterminatedLastLineWithNoCheckpointBeyondIsATornTail() throws IOException {
        // a crash: entries after the last checkpoint, last line half written
        List<String> l = lines(log);
        writeLines(cps, lines(cps).subList(0, 3)); // checkpoints up to 15
        String partial = l.get(N - 1).substring(0, 40);
        Files.writeString(log, String.join("\n", l.subList(0, N - 1)) + "\n" + partial, StandardCharsets.UTF_8);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.TORN_TAIL);
        assertThat(b.source()).isEqualTo(Source.LOG);
        assertThat(b.index()).isEqualTo(N - 1);
        assertThat(((AuditVerification.Broken) verify(log)).entriesVerified()).isEqualTo(N - 1);
    }

    @Test
    void completeLastLineWithoutNewlineIsStillATornTail() throws IOException {
        byte[] all = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(all, all.length - 1));
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isIn(Kind.TORN_TAIL, Kind.TRUNCATED);
        writeLines(cps, lines(cps).subList(0, 3));
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.TORN_TAIL);
    }

    @Test
    void tornCheckpointLineIsReportedAfterTheLogIsVerified() throws IOException {
        byte[] all = Files.readAllBytes(cps);
        Files.write(cps, java.util.Arrays.copyOf(all, all.length - 10));
        AuditVerification v = verify(log);
        AuditBreak b = broken(v);
        assertThat(b.kind()).isEqualTo(Kind.TORN_TAIL);
        assertThat(b.source()).isEqualTo(Source.CHECKPOINTS);
        assertThat(((AuditVerification.Broken) v).entriesVerified()).isEqualTo(N);
    }

    @Test
    void rewrittenTailWithRecomputedHashesContradictsTheLastCheckpoint() throws IOException {
        writeLines(log, rewriteTail(lines(log), 17));
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.CHECKPOINT_MISMATCH);
        assertThat(b.index()).isEqualTo(N - 1);
    }

    @Test
    void rewrittenTailWithAForgedCheckpointFailsTheSignature() throws IOException {
        List<String> l = rewriteTail(lines(log), 17);
        writeLines(log, l);
        byte[] forgedHead = parse(l.get(N - 1)).hash();
        List<String> c = lines(cps);
        c.set(3, AuditCheckpoint.sign(OTHER_KEY, N, forgedHead, AuditFixtures.T0).toJsonLine());
        writeLines(cps, c);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
        assertThat(b.line()).isEqualTo(4);
    }

    @Test
    void checkpointClaimingAnotherSignerFailsTheSignature() throws IOException {
        // signed by the intruder but naming the log's agent id as signer
        AuditCheckpoint real = AuditCheckpoint.parse(lines(cps).get(0).getBytes(StandardCharsets.UTF_8));
        AuditCheckpoint forged = AuditCheckpoint.sign(OTHER_KEY, real.count(), real.head(), real.time());
        AuditCheckpoint spoofed = new AuditCheckpoint(real.count(), real.head(), real.time(), LOG_KEY.id(), forged.signature());
        List<String> c = lines(cps);
        c.set(0, spoofed.toJsonLine());
        writeLines(cps, c);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void rewrittenTailWithTheLastCheckpointRemovedIsOnlyCaughtWhenTheHeadMustBeSigned() throws IOException {
        writeLines(log, rewriteTail(lines(log), 17));
        writeLines(cps, lines(cps).subList(0, 3));
        assertThat(verify(log)).isInstanceOfSatisfying(AuditVerification.Intact.class,
                ok -> assertThat(ok.uncheckpointedEntries()).isEqualTo(5));
        AuditVerification strict = AuditVerifier.forFile(log).publicKey(LOG_KEY.publicKey()).requireCheckpointAtHead().build().verify();
        assertThat(broken(strict).kind()).isEqualTo(Kind.UNCHECKPOINTED_TAIL);
    }

    @Test
    void editedCheckpointCountFailsTheSignature() throws IOException {
        List<String> c = lines(cps);
        c.set(1, c.get(1).replace("\"count\":10,", "\"count\":11,"));
        writeLines(cps, c);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void reorderedCheckpointsAreAMismatch() throws IOException {
        List<String> c = lines(cps);
        Collections.swap(c, 1, 2);
        writeLines(cps, c);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.CHECKPOINT_MISMATCH);
    }

    @Test
    void validCheckpointOfAnotherLogIsAMismatch() throws IOException {
        List<String> c = lines(cps);
        c.set(1, AuditCheckpoint.sign(LOG_KEY, 10, new byte[32], AuditFixtures.T0).toJsonLine());
        writeLines(cps, c);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.CHECKPOINT_MISMATCH);
        assertThat(b.index()).isEqualTo(9);
    }

    @Test
    void malformedCheckpointLineIsMalformed() throws IOException {
        List<String> c = lines(cps);
        c.set(0, "{\"count\":5}");
        writeLines(cps, c);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.MALFORMED_LINE);
        assertThat(b.source()).isEqualTo(Source.CHECKPOINTS);
    }

    @Test
    void wrongKeyFailsTheFirstCheckpoint() {
        AuditVerification v = AuditVerifier.forFile(log).publicKey(OTHER_KEY.publicKey()).build().verify();
        assertThat(broken(v).kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void missingFilesAreReportedBySource() throws IOException {
        Files.delete(JsonlAuditStore.keyPath(log));
        assertThat(broken(AuditVerifier.forFile(log).build().verify())).satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Kind.MISSING);
            assertThat(b.source()).isEqualTo(Source.KEY);
        });
        Files.delete(cps);
        assertThat(broken(verify(log)).source()).isEqualTo(Source.CHECKPOINTS);
        Files.delete(log);
        assertThat(broken(verify(log))).satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Kind.MISSING);
            assertThat(b.source()).isEqualTo(Source.LOG);
        });
    }

    @Test
    void tamperedKeyFileIsMalformedWhenSelfAsserted() throws IOException {
        Path key = JsonlAuditStore.keyPath(log);
        Files.writeString(key, Files.readString(key).replace("{", "{ "));
        AuditBreak b = broken(AuditVerifier.forFile(log).build().verify());
        assertThat(b.kind()).isEqualTo(Kind.MALFORMED_LINE);
        assertThat(b.source()).isEqualTo(Source.KEY);
    }

    @Test
    void replacedKeyFileIsCaughtByTheCheckpointSignatures() throws IOException {
        Files.write(JsonlAuditStore.keyPath(log), LogKeyFile.encode(OTHER_KEY.publicKey()));
        assertThat(broken(AuditVerifier.forFile(log).build().verify()).kind()).isEqualTo(Kind.CHECKPOINT_SIGNATURE);
    }

    @Test
    void emptyLogIsReportedAsEmpty() throws IOException {
        Files.write(log, new byte[0]);
        Files.write(cps, new byte[0]);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.EMPTY);
    }

    @Test
    void emptiedLogWithCheckpointsIsTruncated() throws IOException {
        Files.write(log, new byte[0]);
        assertThat(broken(verify(log)).kind()).isEqualTo(Kind.TRUNCATED);
    }

    @Test
    void overlongLineIsMalformedWithoutReadingItAll() throws IOException {
        List<String> l = lines(log);
        l.add(3, "x".repeat(5000));
        writeLines(log, l);
        AuditVerification v = AuditVerifier.forFile(log).publicKey(LOG_KEY.publicKey()).maxLineBytes(4096).build().verify();
        AuditBreak b = broken(v);
        assertThat(b.kind()).isEqualTo(Kind.MALFORMED_LINE);
        assertThat(b.index()).isEqualTo(3);
    }

    @Test
    void binaryGarbageIsMalformed() throws IOException {
        byte[] garbage = new byte[300];
        new java.util.Random(1).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n') {
                garbage[i] = 0;
            }
        }
        byte[] head = (String.join("\n", lines(log).subList(0, 2)) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + garbage.length + 1];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(garbage, 0, all, head.length, garbage.length);
        all[all.length - 1] = '\n';
        Files.write(log, all);
        AuditBreak b = broken(verify(log));
        assertThat(b.kind()).isEqualTo(Kind.MALFORMED_LINE);
        assertThat(b.index()).isEqualTo(2);
    }

    @Test
    void progressIsReportedUpToTheFinalCount() {
        List<Long> seen = new ArrayList<>();
        AuditVerifier.forFile(log).publicKey(LOG_KEY.publicKey()).progress(seen::add).build().verify();
        assertThat(seen).isNotEmpty().last().isEqualTo((long) N);
    }

    @Test
    void inMemoryVerificationGivesTheSameKinds() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        try (AuditLog a = AuditLog.builder(store, LOG_KEY).checkpointEvery(4).open()) {
            for (int i = 0; i < 10; i++) {
                a.append(AuditFixtures.event(i));
            }
        }
        assertThat(AuditVerifier.verify(store.entries(), store.checkpoints(), LOG_KEY.publicKey()).isIntact()).isTrue();
        List<AuditEntry> cut = store.entries().subList(0, 7);
        assertThat(((AuditVerification.Broken) AuditVerifier.verify(cut, store.checkpoints(), LOG_KEY.publicKey())).kind())
                .isEqualTo(Kind.TRUNCATED);
        List<AuditEntry> swapped = new ArrayList<>(store.entries());
        Collections.swap(swapped, 2, 3);
        assertThat(((AuditVerification.Broken) AuditVerifier.verify(swapped, store.checkpoints(), LOG_KEY.publicKey())).kind())
                .isEqualTo(Kind.INDEX_GAP);
    }

    /** Replaces entries from {@code from} on with new events, recomputing a valid chain (what an attacker without the key can do). */
    static List<String> rewriteTail(List<String> l, int from) {
        List<String> out = new ArrayList<>(l.subList(0, from));
        byte[] prev = parse(l.get(from - 1)).hash();
        for (int i = from; i < l.size(); i++) {
            AuditEntry forged = AuditEntry.create(i, Instant.parse("2026-01-01T00:00:00Z"),
                    new AuditEvent.Decision("agent:mallory", "tool://pay", "invoke", true, "pep3", null, "forged", "m", null), prev);
            out.add(forged.toJsonLine());
            prev = forged.hash();
        }
        return out;
    }

    static AuditEntry parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return AuditEntryCodec.parse(b, b.length).entry();
    }
}
