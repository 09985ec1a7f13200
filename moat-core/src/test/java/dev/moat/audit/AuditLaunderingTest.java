package dev.moat.audit;

import static dev.moat.audit.AuditFixtures.LOG_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack: with write access to the files while Moat is stopped (and no key), rewrite the
 * history, recompute every hash, and drop the checkpoints that would betray it; then wait for the
 * next normal start to sign the forgery. Opening must refuse such a log (whatever
 * {@code verifyOnOpen} says), accept what a crash really leaves, and resume a refused log only on
 * the explicit, recorded override.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditLaunderingTest {
    @TempDir
    Path dir;

    /** A valid chain over new events from index {@code from} on (from 0: from genesis). */
    private static List<String> forge(List<String> genuine, int from) {
        List<String> out = new ArrayList<>(genuine.subList(0, from));
        byte[] prev = from == 0 ? AuditEntry.GENESIS_HASH : AuditVerifierTest.parse(genuine.get(from - 1)).hash();
        for (int i = from; i < genuine.size(); i++) {
            AuditEntry forged = AuditEntry.create(i, Instant.parse("2026-01-01T00:00:00Z"),
                    new AuditEvent.Decision("agent:mallory", "tool://pay", "invoke", true, "pep3", null, "forged", "m", null), prev);
            out.add(forged.toJsonLine());
            prev = forged.hash();
        }
        return out;
    }

    private static AuditLog open(Path log, boolean verifyOnOpen) {
        JsonlAuditStore.Builder b = JsonlAuditStore.builder(log);
        return AuditLog.builder((verifyOnOpen ? b.verifyOnOpen() : b).build(), LOG_KEY).checkpointEvery(10).open();
    }

    @ParameterizedTest(name = "verifyOnOpen={0}")
    @ValueSource(booleans = {false, true})
    void rewrittenHistoryWithEmptiedCheckpointsIsNotResumed(boolean verifyOnOpen) throws Exception {
        Path log = AuditFixtures.writeLog(dir, 30, 10);
        Path cps = JsonlAuditStore.checkpointsPath(log);
        AuditFixtures.writeLines(log, forge(AuditFixtures.lines(log), 0));
        Files.write(cps, new byte[0]);
        // the forgery is a valid chain: without checkpoints, the verifier alone cannot tell
        assertThat(AuditVerifier.forFile(log).publicKey(LOG_KEY.publicKey()).build().verify().isIntact()).isTrue();

        assertThatThrownBy(() -> open(log, verifyOnOpen)).isInstanceOfSatisfying(AuditException.class, e -> {
            assertThat(e.kind()).isEqualTo(AuditException.Kind.UNANCHORED);
            assertThat(e.breakage().kind()).isEqualTo(AuditBreak.Kind.UNCHECKPOINTED_TAIL);
            assertThat(e.breakage().index()).isZero();
            assertThat(e.getMessage()).contains("30 entries follow the last signed checkpoint").contains("insecureResumeUnanchored");
        });
        assertThat(Files.size(cps)).as("nothing was signed").isZero();
        assertThat(AuditFixtures.lines(log)).hasSize(30);
    }

    @Test
    void rewriteBehindARetainedCheckpointIsNotResumed() throws Exception {
        Path log = AuditFixtures.writeLog(dir, 30, 10); // checkpoints at 10, 20, 30
        Path cps = JsonlAuditStore.checkpointsPath(log);
        List<String> checkpoints = AuditFixtures.lines(cps);
        // keep the checkpoint at 20, rewrite entries 15.. so that only 10 follow it: within the
        // bound, but entry 19 is no longer the one checkpoint 20 signed
        AuditFixtures.writeLines(cps, checkpoints.subList(0, 2));
        AuditFixtures.writeLines(log, forge(AuditFixtures.lines(log), 15));

        assertThatThrownBy(() -> open(log, false)).isInstanceOfSatisfying(AuditException.class, e -> {
            assertThat(e.kind()).isEqualTo(AuditException.Kind.UNANCHORED);
            assertThat(e.breakage().index()).isEqualTo(20);
        });
        assertThat(AuditFixtures.lines(cps)).hasSize(2);
    }

    @Test
    void whatACrashLeavesIsResumedAndAnchoredAtOnce() throws Exception {
        Path log = AuditFixtures.writeLog(dir, 27, 10); // checkpoints at 10, 20, 27
        Path cps = JsonlAuditStore.checkpointsPath(log);
        // a kill -9 before close: no checkpoint at 27, 7 entries after the one at 20, chaining from it
        AuditFixtures.writeLines(cps, AuditFixtures.lines(cps).subList(0, 2));
        try (AuditLog a = open(log, true)) {
            assertThat(a.size()).isEqualTo(27);
            assertThat(a.lastCheckpoint().count()).as("anchored on open").isEqualTo(27);
        }
        // exactly the interval after the last checkpoint is still what one crash can leave
        Path log2 = AuditFixtures.writeLog(dir.resolve("b"), 20, 10);
        Path cps2 = JsonlAuditStore.checkpointsPath(log2);
        AuditFixtures.writeLines(cps2, AuditFixtures.lines(cps2).subList(0, 1));
        try (AuditLog a = open(log2, false)) {
            assertThat(a.size()).isEqualTo(20);
        }
        // one more is not
        Path log3 = AuditFixtures.writeLog(dir.resolve("c"), 21, 10);
        Path cps3 = JsonlAuditStore.checkpointsPath(log3);
        AuditFixtures.writeLines(cps3, AuditFixtures.lines(cps3).subList(0, 1));
        assertThatThrownBy(() -> open(log3, false)).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.UNANCHORED));
    }

    @Test
    void theInsecureOverrideResumesAndSaysSoInTheLog() throws Exception {
        Path log = AuditFixtures.writeLog(dir, 30, 10);
        AuditFixtures.writeLines(log, forge(AuditFixtures.lines(log), 0));
        Files.write(JsonlAuditStore.checkpointsPath(log), new byte[0]);

        try (AuditLog a = AuditLog.builder(JsonlAuditStore.builder(log).build(), LOG_KEY).checkpointEvery(10)
                .insecureResumeUnanchored().open()) {
            assertThat(a.size()).isEqualTo(31);
        }
        AuditEntry record = AuditVerifierTest.parse(AuditFixtures.lines(log).get(30));
        assertThat(record.event()).isInstanceOfSatisfying(AuditEvent.Lifecycle.class, l -> {
            assertThat(l.kind()).isEqualTo(AuditEvent.Lifecycle.Kind.INSECURE_RESUME);
            assertThat(l.detail()).contains("30 entries");
        });
    }
}
