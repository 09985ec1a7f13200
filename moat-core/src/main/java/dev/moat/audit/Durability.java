package dev.moat.audit;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link JsonlAuditStore} forces entries to stable storage. In both modes each entry is
 * handed to the operating system before {@code append} returns, so a killed process loses nothing
 * that was acknowledged; the modes differ on power loss or a kernel crash.
 */
public final class Durability {
    private final int batchEntries;
    private final Duration maxDelay;

    private Durability(int batchEntries, Duration maxDelay) {
        this.batchEntries = batchEntries;
        this.maxDelay = maxDelay;
    }

    /**
     * {@code fsync} before each append is acknowledged. Concurrent appenders share one {@code fsync}
     * (group commit), so throughput grows with the number of writers.
     */
    public static Durability everyEntry() {
        return new Durability(1, Duration.ZERO);
    }

    /**
     * {@code fsync} on a background thread once {@code entries} entries are pending, and at least
     * every {@code maxDelay / 2} while any are. Appenders do not wait for it. On power loss, the
     * acknowledged entries not yet synced may be lost: about {@code entries} plus those appended while
     * that {@code fsync} runs, or {@code maxDelay} worth. A signed checkpoint still waits for the
     * entries it covers to be synced.
     */
    public static Durability batched(int entries, Duration maxDelay) {
        if (entries < 1) {
            throw new IllegalArgumentException("entries must be at least 1");
        }
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxDelay.isNegative() || maxDelay.isZero()) {
            throw new IllegalArgumentException("maxDelay must be positive");
        }
        return new Durability(entries, maxDelay);
    }

    public boolean isEveryEntry() {
        return maxDelay.isZero();
    }

    /** Entries per {@code fsync} (1 for {@link #everyEntry()}). */
    public int batchEntries() {
        return batchEntries;
    }

    /** Longest time an entry waits for {@code fsync} ({@link Duration#ZERO} for {@link #everyEntry()}). */
    public Duration maxDelay() {
        return maxDelay;
    }

    @Override
    public String toString() {
        return isEveryEntry() ? "everyEntry" : "batched(" + batchEntries + ", " + maxDelay + ")";
    }
}
