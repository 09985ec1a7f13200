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

    /**
     * Where the stored chain stands after {@link #open}: the next index and the head hash, and how
     * many entries follow the last signed checkpoint ({@code unanchored}; 0 for a store that cannot
     * be changed behind the log's back, such as memory).
     */
    record Head(long count, byte[] hash, Instant lastTime, String repairDetail, long unanchored) {
        public Head {
            hash = Objects.requireNonNull(hash, "hash").clone();
            if (unanchored < 0 || unanchored > count) {
                throw new IllegalArgumentException("unanchored must lie in [0, count]");
            }
        }

        /** A head whose entries are all anchored (or that cannot have been rewritten offline). */
        public Head(long count, byte[] hash, Instant lastTime, String repairDetail) {
            this(count, hash, lastTime, repairDetail, 0);
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

    /**
     * Opens like {@link #open(Ed25519PublicKey)}, and refuses with
     * {@link AuditException.Kind#UNANCHORED} an existing log with more than {@code maxUnanchored}
     * entries after its last signed checkpoint, or whose entries after it do not chain from the
     * checkpointed head. A store whose content cannot change while no log has it open (memory) may
     * keep this default, which only opens.
     */
    default Head open(Ed25519PublicKey logKey, long maxUnanchored) {
        return open(logKey);
    }

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
