package dev.moat.guard.conformance;

import dev.moat.audit.AuditCheckpoint;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditStore;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.replay.SequenceStore;

/** Stores that work until told to fail, for the "internal error in the guard" cases. */
final class FailingStores {
    private FailingStores() {}

    static final class Sequences implements SequenceStore {
        private final SequenceStore delegate;
        private volatile boolean failing;

        Sequences(SequenceStore delegate) {
            this.delegate = delegate;
        }

        void fail() {
            failing = true;
        }

        @Override
        public boolean advance(AgentId sender, long seq) {
            if (failing) {
                throw new IllegalStateException("replay store unavailable (test)");
            }
            return delegate.advance(sender, seq);
        }

        @Override
        public long last(AgentId sender) {
            return delegate.last(sender);
        }
    }

    static final class Audit implements AuditStore {
        private final AuditStore delegate;
        private volatile boolean failing;

        Audit(AuditStore delegate) {
            this.delegate = delegate;
        }

        void fail() {
            failing = true;
        }

        @Override
        public Head open(Ed25519PublicKey logKey) {
            return delegate.open(logKey);
        }

        @Override
        public void append(AuditEntry entry) {
            if (failing) {
                throw new IllegalStateException("audit disk full (test)");
            }
            delegate.append(entry);
        }

        @Override
        public void sync(long index) {
            delegate.sync(index);
        }

        @Override
        public void appendCheckpoint(AuditCheckpoint checkpoint) {
            delegate.appendCheckpoint(checkpoint);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
