package dev.moat.audit;

import static dev.moat.audit.AuditFixtures.LOG_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AuditLogConcurrencyTest {
    @TempDir
    Path dir;

    /** Runs {@code threads} appenders of {@code each} events; returns the indexes each got. */
    private static List<long[]> hammer(AuditLog log, int threads, int each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<long[]> task = () -> {
                    long[] got = new long[each];
                    start.await();
                    for (int i = 0; i < each; i++) {
                        got[i] = log.append(new AuditEvent.Decision("agent:t" + id, "tool://x", "invoke", true, "pep3",
                                null, null, "m-" + id + "-" + i, null)).index();
                    }
                    return got;
                };
                futures.add(pool.submit(task));
            }
            List<long[]> out = new ArrayList<>();
            for (Future<long[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertEveryIndexExactlyOnce(List<long[]> got, int total) {
        BitSet seen = new BitSet(total);
        for (long[] g : got) {
            long last = -1;
            for (long i : g) {
                assertThat(i).isBetween(0L, total - 1L);
                assertThat(seen.get((int) i)).as("index %d handed out twice", i).isFalse();
                assertThat(i).as("one thread's entries keep its order").isGreaterThan(last);
                seen.set((int) i);
                last = i;
            }
        }
        assertThat(seen.cardinality()).isEqualTo(total);
    }

    @Test
    void twoThreadsOfFiftyThousandAppendsLoseNothingAndTheChainVerifies() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int each = 50_000;
        List<long[]> got;
        try (AuditLog log = AuditLog.builder(JsonlAuditStore.builder(file).durability(Durability.batched(512, Duration.ofMillis(10))).build(),
                LOG_KEY).checkpointEvery(1000).open()) {
            got = hammer(log, 2, each);
            assertThat(log.size()).isEqualTo(2L * each);
        }
        assertEveryIndexExactlyOnce(got, 2 * each);
        AuditVerification v = AuditVerifier.forFile(file).publicKey(LOG_KEY.publicKey()).requireCheckpointAtHead().build().verify();
        assertThat(v).isInstanceOfSatisfying(AuditVerification.Intact.class, ok -> {
            assertThat(ok.entries()).isEqualTo(2L * each);
            assertThat(ok.checkpointsVerified()).isEqualTo(100);
        });
    }

    @Test
    void groupCommitWithFsyncPerEntryKeepsEveryAcknowledgedEntry() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        List<long[]> got;
        try (AuditLog log = AuditLog.builder(JsonlAuditStore.builder(file).build(), LOG_KEY).checkpointEvery(100).open()) {
            got = hammer(log, 4, 250);
        }
        assertEveryIndexExactlyOnce(got, 1000);
        assertThat(AuditFixtures.verify(file)).isInstanceOfSatisfying(AuditVerification.Intact.class,
                ok -> assertThat(ok.entries()).isEqualTo(1000));
    }

    @Test
    void inMemoryStoreUnderContentionVerifies() throws Exception {
        InMemoryAuditStore store = new InMemoryAuditStore();
        List<long[]> got;
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).checkpointEvery(500).open()) {
            got = hammer(log, 3, 2000);
        }
        assertEveryIndexExactlyOnce(got, 6000);
        assertThat(AuditVerifier.verify(store.entries(), store.checkpoints(), LOG_KEY.publicKey()).isIntact()).isTrue();
    }
}
