package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.crypto.Ed25519PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A backend that is down for a while: appends fail (deny) but the log resumes when it is back. */
@Timeout(30)
class AuditLogUnavailableTest {

    /** An in-memory store whose sync fails while {@code down} (a database restarting). */
    private static final class FlakyStore implements AuditStore {
        final InMemoryAuditStore memory = new InMemoryAuditStore();
        volatile boolean down;
        volatile AuditException.Kind failure = AuditException.Kind.UNAVAILABLE;

        @Override
        public Head open(Ed25519PublicKey logKey) {
            return memory.open(logKey);
        }

        @Override
        public void append(AuditEntry entry) {
            memory.append(entry);
        }

        @Override
        public void sync(long index) {
            if (down) {
                throw new AuditException(failure, "backend down");
            }
        }

        @Override
        public void appendCheckpoint(AuditCheckpoint checkpoint) {
            memory.appendCheckpoint(checkpoint);
        }

        @Override
        public void flush() {
            sync(0);
        }

        @Override
        public void close() {
            memory.close();
        }
    }

    private static AuditEvent event(String id) {
        return new AuditEvent.Decision("agent:a", "tool://t", "invoke", true, "pep3", null, null, id, null);
    }

    @Test
    void anUnavailableBackendFailsTheCallButNotTheLog() {
        FlakyStore store = new FlakyStore();
        AuditLog log = AuditLog.builder(store, AuditFixtures.LOG_KEY).open();
        log.append(event("m-1"));
        store.down = true;
        assertThatThrownBy(() -> log.append(event("m-2")))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.UNAVAILABLE));
        store.down = false;
        log.append(event("m-3"));
        log.close();
        AuditVerification v = AuditVerifier.verify(store.memory.entries(), store.memory.checkpoints(), AuditFixtures.LOG_KEY.publicKey());
        assertThat(v).isInstanceOf(AuditVerification.Intact.class);
        assertThat(((AuditVerification.Intact) v).entries()).as("the entry of the failed call keeps its place").isEqualTo(3);
    }

    @Test
    void anyOtherStoreFailureStillFailsTheLogForGood() {
        FlakyStore store = new FlakyStore();
        AuditLog log = AuditLog.builder(store, AuditFixtures.LOG_KEY).open();
        store.failure = AuditException.Kind.STORE_FAILED;
        store.down = true;
        assertThatThrownBy(() -> log.append(event("m-1"))).isInstanceOf(AuditException.class);
        store.down = false;
        assertThatThrownBy(() -> log.append(event("m-2")))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.FAILED_EARLIER));
    }
}
