package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.identity.AgentKeypair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link AuditStore} must do under an {@link AuditLog}: resume the chain where it
 * stopped, keep every acknowledged entry in order under concurrent appends, store checkpoints that
 * verify, and refuse another log key. Subclasses give stores over one backing state per test.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class AuditStoreConformance {
    protected static final AgentKeypair KEY = AgentKeypair.generate("audit-log");
    protected static final AgentKeypair OTHER = AgentKeypair.generate("intruder");

    /** A new store instance over this test's backing state (empty at the first call). */
    protected abstract AuditStore store();

    /** Verifies what the backing state holds, with {@code key} as the trusted log key. */
    protected abstract AuditVerification verifyStored(AgentKeypair key);

    private static AuditEvent event(int i) {
        return new AuditEvent.Decision("agent:a" + (i % 7), "tool://t/" + i, "invoke", i % 3 != 0, "pep3",
                i % 3 == 0 ? "not_granted" : null, i % 3 == 0 ? "scope not granted" : null, "m-" + i, null);
    }

    @Test
    void anEmptyStoreOpensAtGenesis() {
        AuditStore s = store();
        try {
            AuditStore.Head h = s.open(KEY.publicKey());
            assertThat(h.count()).isZero();
            assertThat(h.hash()).isEqualTo(AuditEntry.genesisHash());
            assertThat(h.repaired()).isFalse();
        } finally {
            s.close();
        }
    }

    @Test
    void aReopenedLogContinuesTheChainAndEverythingVerifies() {
        byte[] head;
        try (AuditLog log = AuditLog.builder(store(), KEY).checkpointEvery(4).open()) {
            for (int i = 0; i < 10; i++) {
                log.append(event(i));
            }
            head = log.headHash();
        }
        try (AuditLog log = AuditLog.builder(store(), KEY).checkpointEvery(4).open()) {
            assertThat(log.size()).isEqualTo(10);
            assertThat(log.headHash()).isEqualTo(head);
            for (int i = 10; i < 15; i++) {
                log.append(event(i));
            }
        }
        AuditVerification v = verifyStored(KEY);
        assertThat(v).isInstanceOf(AuditVerification.Intact.class);
        AuditVerification.Intact ok = (AuditVerification.Intact) v;
        assertThat(ok.entries()).isEqualTo(15);
        assertThat(ok.checkpointsVerified()).as("every 4 entries and one at each close").isEqualTo(5);
        assertThat(ok.uncheckpointedEntries()).isZero();
    }

    @Test
    void concurrentAppendersLoseNothingAndKeepOneChain() throws Exception {
        int threads = 8;
        int per = 40;
        List<AuditEntry> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        try (AuditLog log = AuditLog.builder(store(), KEY).checkpointEvery(25).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * per;
                    fs.add(pool.submit(() -> {
                        for (int i = 0; i < per; i++) {
                            acked.add(log.append(event(base + i)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(acked).hasSize(threads * per);
        assertThat(acked.stream().mapToLong(AuditEntry::index).distinct().count()).isEqualTo(threads * per);
        AuditVerification v = verifyStored(KEY);
        assertThat(v).isInstanceOf(AuditVerification.Intact.class);
        assertThat(((AuditVerification.Intact) v).entries()).isEqualTo(threads * per);
    }

    @Test
    void aStoreOfOneLogKeyRefusesAnother() {
        try (AuditLog log = AuditLog.builder(store(), KEY).open()) {
            log.append(event(1));
        }
        assertThatThrownBy(() -> AuditLog.builder(store(), OTHER).open())
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.KEY_MISMATCH));
    }

    @Test
    void checkpointsSignedByAnotherKeyDoNotVerify() {
        try (AuditLog log = AuditLog.builder(store(), KEY).open()) {
            log.append(event(1));
        }
        AuditVerification v = verifyStored(OTHER);
        assertThat(v).isInstanceOfSatisfying(AuditVerification.Broken.class,
                b -> assertThat(b.kind()).isEqualTo(AuditBreak.Kind.CHECKPOINT_SIGNATURE));
    }
}
