package dev.moat.audit;

import dev.moat.crypto.Ed25519PublicKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an {@link AuditLog} keeps its entries and checkpoints. Implementations report every
 * failure as an {@link AuditException} (never a silent drop).
 *
 * <p>Assumptions: {@link #open}, {@link #append}, {@link #appendCheckpoint} and {@link #close} are
 * called by the log one at a time (under its lock), {@code append} in chain order; {@link #sync}
 * may be called by many threads at once, outside that lock.
 */
public interface AuditStore extends AutoCloseable {

    /** Where the stored chain stands after {@link #open}: the next index and the head hash. */
    record Head(long count, byte[] hash, Instant lastTime, String repairDetail) {
        public Head {
            hash = Objects.requireNonNull(hash, "hash").clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        /** True when opening cut off a torn last line ({@link #repairDetail} says what was removed). */
        public boolean repaired() {
            return repairDetail != null;
        }
    }

    /** Opens or creates the store for the log whose checkpoints {@code logKey} signs. Called once. */
    Head open(Ed25519PublicKey logKey);

    /** Stores the next entry. When this returns, the entry is at least in the store's write path. */
    void append(AuditEntry entry);

    /** Returns once entry {@code index} is as durable as the store's policy promises. */
    void sync(long index);

    /** Stores a checkpoint; entries below {@code checkpoint.count()} are made durable first. */
    void appendCheckpoint(AuditCheckpoint checkpoint);

    /** Makes everything appended so far durable. */
    void flush();

    /** Flushes and releases resources. Idempotent. */
    @Override
    void close();
}
