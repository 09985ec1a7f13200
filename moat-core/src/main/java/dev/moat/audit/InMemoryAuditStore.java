package dev.moat.audit;

import dev.moat.crypto.Ed25519PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps entries and checkpoints in memory, for tests and short-lived embedded use. Thread-safe.
 * Nothing survives the process. A store can be opened again by a new {@link AuditLog} with the
 * same key, which continues the chain.
 */
public final class InMemoryAuditStore implements AuditStore {
    private final List<AuditEntry> entries = new ArrayList<>();
    private final List<AuditCheckpoint> checkpoints = new ArrayList<>();
    private Ed25519PublicKey key;
    private boolean open;

    @Override
    public synchronized Head open(Ed25519PublicKey logKey) {
        if (open) {
            throw new AuditException(AuditException.Kind.CLOSED, "store is already open");
        }
        if (key != null && !key.equals(logKey)) {
            throw new AuditException(AuditException.Kind.KEY_MISMATCH, "store belongs to another log key");
        }
        key = logKey;
        open = true;
        if (entries.isEmpty()) {
            return new Head(0, AuditEntry.GENESIS_HASH, null, null);
        }
        AuditEntry last = entries.get(entries.size() - 1);
        return new Head(entries.size(), last.hashRef(), last.time(), null);
    }

    @Override
    public synchronized void append(AuditEntry entry) {
        requireOpen();
        if (entry.index() != entries.size()) {
            throw new AuditException(AuditException.Kind.STORE_FAILED, "entry out of order");
        }
        entries.add(entry);
    }

    @Override
    public void sync(long index) {
        // memory is as durable as it gets
    }

    @Override
    public synchronized void appendCheckpoint(AuditCheckpoint checkpoint) {
        requireOpen();
        checkpoints.add(checkpoint);
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public synchronized void close() {
        open = false;
    }

    /** A snapshot of the stored entries. */
    public synchronized List<AuditEntry> entries() {
        return List.copyOf(entries);
    }

    /** A snapshot of the stored checkpoints. */
    public synchronized List<AuditCheckpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    private void requireOpen() {
        if (!open) {
            throw new AuditException(AuditException.Kind.CLOSED, "store is not open");
        }
    }
}
