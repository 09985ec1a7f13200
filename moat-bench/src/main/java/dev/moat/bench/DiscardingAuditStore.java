package dev.moat.bench;

import dev.moat.audit.AuditCheckpoint;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditStore;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.crypto.Ed25519PublicKey;

/**
 * An audit store that keeps nothing, so long benchmark runs measure the guard (entry building,
 * hashing, chaining, checkpoint signing) without filling the heap or the disk. Benchmarks only.
 */
final class DiscardingAuditStore implements AuditStore {
    /** Used only to start an empty chain (the genesis head) through public API. */
    private final InMemoryAuditStore empty = new InMemoryAuditStore();

    @Override
    public Head open(Ed25519PublicKey logKey) {
        return empty.open(logKey);
    }

    @Override
    public void append(AuditEntry entry) {
        // discarded
    }

    @Override
    public void sync(long index) {
        // nothing to sync
    }

    @Override
    public void appendCheckpoint(AuditCheckpoint checkpoint) {
        // discarded
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        // nothing held
    }
}
