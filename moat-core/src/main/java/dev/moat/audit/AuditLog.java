package dev.moat.audit;

import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentKeypair;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tamper-evident audit log: appends {@link AuditEvent}s as hash-chained {@link AuditEntry}s to
 * an {@link AuditStore}, and signs {@link AuditCheckpoint}s with its own key every
 * {@code checkpointEvery} entries and on {@link #close()}.
 *
 * <p>Assumptions and guarantees (concurrency):
 * <ul>
 *   <li>Any number of threads may call {@link #append}. Appends are serialised: entry indexes and
 *       hashes follow the order in which appends took the log's lock, and the store sees entries in
 *       that order.</li>
 *   <li>When {@code append} returns, the entry is as durable as the store promises (for
 *       {@link JsonlAuditStore} with {@link Durability#everyEntry()}: on stable storage). The
 *       durability wait happens outside the lock, so concurrent appenders share one {@code fsync}.</li>
 *   <li>When {@code append} throws {@link AuditException}, the caller must deny the action. After a
 *       store failure (other than {@link AuditException.Kind#UNAVAILABLE}) the log is failed for good: every later call throws
 *       {@link AuditException.Kind#FAILED_EARLIER} until a new log is opened over the store.</li>
 *   <li>Entry times never go backwards: a clock that steps back is clamped to the last entry's time.</li>
 * </ul>
 */
public final class AuditLog implements AutoCloseable {
    private final AuditStore store;
    private final AgentKeypair key;
    private final Clock clock;
    private final long checkpointEvery;
    private final ReentrantLock lock = new ReentrantLock();

    private long count;
    private byte[] head;
    private Instant lastTime;
    private long checkpointedCount = -1;
    private AuditCheckpoint lastCheckpoint;
    private boolean closed;
    private volatile AuditException failure;

    private AuditLog(Builder b) {
        this.store = b.store;
        this.key = b.key;
        this.clock = b.clock;
        this.checkpointEvery = b.checkpointEvery;
        long maxUnanchored = b.insecureResumeUnanchored ? Long.MAX_VALUE : checkpointEvery;
        AuditStore.Head h = store.open(key.publicKey(), maxUnanchored);
        this.count = h.count();
        this.head = h.hash();
        this.lastTime = h.lastTime();
        try {
            if (h.repaired()) {
                append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.REPAIR, h.repairDetail(), null));
            }
            if (h.unanchored() > checkpointEvery) {
                append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.INSECURE_RESUME, h.unanchored()
                        + " entries after the last signed checkpoint (at " + (h.count() - h.unanchored())
                        + ") were resumed without an anchor on the operator's override", null));
            }
            if (h.unanchored() > 0 && checkpointedCount != count) {
                // anchor the verified tail now, so crashes in a row never add up past the bound
                checkpointLocked();
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Starts a log over {@code store}, signing checkpoints with {@code key}. */
    public static Builder builder(AuditStore store, AgentKeypair key) {
        return new Builder(store, key);
    }

    /**
     * Appends {@code event} and returns its entry once it is durable per the store's policy.
     *
     * @throws AuditException if the entry could not be stored; the caller must deny
     */
    public AuditEntry append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditEntry entry;
        lock.lock();
        try {
            requireUsable();
            Instant now = clock.instant();
            if (lastTime != null && now.isBefore(lastTime)) {
                now = lastTime;
            }
            entry = AuditEntry.create(count, now, event, head);
            guarded(() -> store.append(entry));
            count = entry.index() + 1;
            head = entry.hashRef();
            lastTime = entry.time();
            if (checkpointEvery > 0 && count % checkpointEvery == 0) {
                checkpointLocked();
            }
        } finally {
            lock.unlock();
        }
        guarded(() -> store.sync(entry.index()));
        return entry;
    }

    /** Signs and stores a checkpoint of the current head now, and returns it. */
    public AuditCheckpoint checkpoint() {
        lock.lock();
        try {
            requireUsable();
            return checkpointLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Makes every appended entry durable now (useful in batched mode). */
    public void flush() {
        lock.lock();
        try {
            requireUsable();
        } finally {
            lock.unlock();
        }
        guarded(store::flush);
    }

    /** Number of entries in the log (the next index). */
    public long size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Hash of the last entry, or the genesis hash when the log is empty. */
    public byte[] headHash() {
        lock.lock();
        try {
            return head.clone();
        } finally {
            lock.unlock();
        }
    }

    /** The last checkpoint this log instance wrote, or {@code null}. */
    public AuditCheckpoint lastCheckpoint() {
        lock.lock();
        try {
            return lastCheckpoint;
        } finally {
            lock.unlock();
        }
    }

    /** The key that verifies this log's checkpoints. */
    public Ed25519PublicKey publicKey() {
        return key.publicKey();
    }

    /**
     * Writes a final checkpoint (unless the last one already covers the head) and closes the store.
     * Idempotent. A failed log closes its store without a checkpoint.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (failure == null && checkpointedCount != count) {
                try {
                    checkpointLocked();
                } catch (AuditException e) {
                    closeQuietly();
                    throw e;
                }
            }
            guarded(store::close);
        } finally {
            lock.unlock();
        }
    }

    private AuditCheckpoint checkpointLocked() {
        Instant now = clock.instant();
        if (lastTime != null && now.isBefore(lastTime)) {
            now = lastTime;
        }
        AuditCheckpoint cp = AuditCheckpoint.sign(key, count, head, now);
        guarded(() -> store.appendCheckpoint(cp));
        checkpointedCount = count;
        lastCheckpoint = cp;
        return cp;
    }

    private void requireUsable() {
        if (closed) {
            throw new AuditException(AuditException.Kind.CLOSED, "audit log is closed");
        }
        AuditException f = failure;
        if (f != null) {
            throw new AuditException(AuditException.Kind.FAILED_EARLIER, "audit log failed earlier and must be reopened", f);
        }
    }

    /**
     * Runs a store call; any failure except an oversized entry or a backend that is unavailable for
     * now makes the log failed for good.
     */
    private void guarded(Runnable storeCall) {
        try {
            storeCall.run();
        } catch (AuditException e) {
            if (e.kind() != AuditException.Kind.OVERSIZED_ENTRY && e.kind() != AuditException.Kind.UNAVAILABLE) {
                failure = e;
            }
            throw e;
        } catch (RuntimeException | Error e) {
            AuditException wrapped = new AuditException(AuditException.Kind.STORE_FAILED, "audit store failed", e);
            failure = wrapped;
            throw wrapped;
        }
    }

    private void closeQuietly() {
        try {
            store.close();
        } catch (RuntimeException ignored) {
            // already reporting the first failure
        }
    }

    /** Options for {@link AuditLog}. */
    public static final class Builder {
        private final AuditStore store;
        private final AgentKeypair key;
        private Clock clock = Clock.systemUTC();
        private long checkpointEvery = 1000;
        private boolean insecureResumeUnanchored;

        private Builder(AuditStore store, AgentKeypair key) {
            this.store = Objects.requireNonNull(store, "store");
            this.key = Objects.requireNonNull(key, "key");
        }

        /** Clock for entry and checkpoint times (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sign a checkpoint every {@code entries} entries (default 1000); 0 means only on close and on demand. */
        public Builder checkpointEvery(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("checkpointEvery must not be negative");
            }
            this.checkpointEvery = entries;
            return this;
        }

        /**
         * INSECURE: resume a log even when more entries follow its last signed checkpoint than a
         * crash can leave (more than {@code checkpointEvery}), or when they do not chain from it.
         * Such a log may have been rewritten while Moat was stopped; resuming it makes the next
         * checkpoint sign whatever it holds. The log records an {@code insecure_resume} lifecycle
         * event first. Only for an operator who has checked the log by other means.
         */
        public Builder insecureResumeUnanchored() {
            this.insecureResumeUnanchored = true;
            return this;
        }

        /**
         * Opens the store and resumes its chain. If the store cut off a torn tail (only when it was
         * opened with that option), a {@link AuditEvent.Lifecycle.Kind#REPAIR} event is appended first.
         * An existing log must be anchored: at most {@code checkpointEvery} entries (0 when
         * checkpoints are only written on close) may follow its last signed checkpoint, and they
         * must chain from it; entries after the checkpoint are then anchored by a new one at once.
         *
         * @throws AuditException if the store cannot be opened or is damaged, or
         *     {@link AuditException.Kind#UNANCHORED} when it is not anchored
         */
        public AuditLog open() {
            return new AuditLog(this);
        }
    }
}
