package dev.moat.audit;

import static dev.moat.audit.AuditFixtures.LOG_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.crypto.Ed25519PublicKey;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuditLogTest {

    @Test
    void entriesAreChainedFromGenesis() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).clock(AuditFixtures.fixedClock()).open()) {
            AuditEntry a = log.append(AuditFixtures.event(0));
            AuditEntry b = log.append(AuditFixtures.event(1));
            assertThat(a.index()).isZero();
            assertThat(a.previousHash()).isEqualTo(AuditEntry.genesisHash());
            assertThat(b.previousHash()).isEqualTo(a.hash());
            assertThat(log.headHash()).isEqualTo(b.hash());
            assertThat(log.size()).isEqualTo(2);
        }
        assertThat(store.entries()).hasSize(2);
    }

    @Test
    void checkpointsAreWrittenEveryNAndOnClose() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).checkpointEvery(4).open()) {
            for (int i = 0; i < 10; i++) {
                log.append(AuditFixtures.event(i));
            }
            assertThat(store.checkpoints()).extracting(AuditCheckpoint::count).containsExactly(4L, 8L);
        }
        assertThat(store.checkpoints()).extracting(AuditCheckpoint::count).containsExactly(4L, 8L, 10L);
        assertThat(store.checkpoints()).allMatch(cp -> cp.verify(LOG_KEY.publicKey()));
        assertThat(store.checkpoints().get(2).head()).isEqualTo(store.entries().get(9).hash());
    }

    @Test
    void closeDoesNotRepeatACheckpointThatCoversTheHead() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).checkpointEvery(4).open()) {
            for (int i = 0; i < 8; i++) {
                log.append(AuditFixtures.event(i));
            }
        }
        assertThat(store.checkpoints()).extracting(AuditCheckpoint::count).containsExactly(4L, 8L);
    }

    @Test
    void explicitCheckpointCoversTheCurrentHead() {
        InMemoryAuditStore store = new InMemoryAuditStore();
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).checkpointEvery(0).open()) {
            log.append(AuditFixtures.event(0));
            AuditCheckpoint cp = log.checkpoint();
            assertThat(cp.count()).isEqualTo(1);
            assertThat(cp.head()).isEqualTo(log.headHash());
            assertThat(log.lastCheckpoint()).isEqualTo(cp);
        }
    }

    @Test
    void timeNeverGoesBackwards() {
        List<Instant> times = new ArrayList<>(List.of(Instant.parse("2026-01-01T00:00:10Z"), Instant.parse("2026-01-01T00:00:05Z")));
        Clock stepping = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return times.size() > 1 ? times.remove(0) : times.get(0);
            }
        };
        try (AuditLog log = AuditLog.builder(new InMemoryAuditStore(), LOG_KEY).clock(stepping).open()) {
            Instant first = log.append(AuditFixtures.event(0)).time();
            assertThat(log.append(AuditFixtures.event(1)).time()).isEqualTo(first);
        }
    }

    @Test
    void failingStoreSurfacesATypedExceptionAndTheLogStaysFailed() {
        FailingStore store = new FailingStore(3);
        AuditLog log = AuditLog.builder(store, LOG_KEY).checkpointEvery(0).open();
        for (int i = 0; i < 3; i++) {
            log.append(AuditFixtures.event(i));
        }
        assertThatThrownBy(() -> log.append(AuditFixtures.event(3)))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.STORE_FAILED));
        store.healed = true; // space freed: the log still refuses, it must be reopened
        assertThatThrownBy(() -> log.append(AuditFixtures.event(4)))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.FAILED_EARLIER));
        assertThatThrownBy(log::checkpoint).isInstanceOf(AuditException.class);
        assertThat(log.size()).isEqualTo(3);
        log.close();
        assertThat(store.checkpoints).isZero(); // no checkpoint signed over a failed log
        assertThat(AuditVerifier.verify(store.delegate.entries(), store.delegate.checkpoints(), LOG_KEY.publicKey()).isIntact()).isTrue();
    }

    @Test
    void failingSyncIsAlsoAStoreFailure() {
        FailingStore store = new FailingStore(Integer.MAX_VALUE);
        store.failSync = true;
        try (AuditLog log = AuditLog.builder(store, LOG_KEY).open()) {
            assertThatThrownBy(() -> log.append(AuditFixtures.event(0)))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.STORE_FAILED));
        }
    }

    @Test
    void storeThatCannotOpenFailsTheBuilder() {
        FailingStore store = new FailingStore(0);
        store.failOpen = true;
        assertThatThrownBy(() -> AuditLog.builder(store, LOG_KEY).open()).isInstanceOf(AuditException.class);
    }

    /** Simulates a disk that fills up after {@code okAppends} appends. */
    static final class FailingStore implements AuditStore {
        final InMemoryAuditStore delegate = new InMemoryAuditStore();
        final int okAppends;
        volatile boolean healed;
        boolean failSync;
        boolean failOpen;
        int appends;
        int checkpoints;

        FailingStore(int okAppends) {
            this.okAppends = okAppends;
        }

        @Override
        public Head open(Ed25519PublicKey logKey) {
            if (failOpen) {
                throw new AuditException(AuditException.Kind.STORE_FAILED, "cannot open");
            }
            return delegate.open(logKey);
        }

        @Override
        public void append(AuditEntry entry) {
            if (appends >= okAppends && !healed) {
                throw new UncheckedIOException(new java.io.IOException("No space left on device"));
            }
            appends++;
            delegate.append(entry);
        }

        @Override
        public void sync(long index) {
            if (failSync) {
                throw new UncheckedIOException(new java.io.IOException("EIO"));
            }
        }

        @Override
        public void appendCheckpoint(AuditCheckpoint checkpoint) {
            checkpoints++;
            delegate.appendCheckpoint(checkpoint);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
