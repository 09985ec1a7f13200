package dev.moat.guard;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} lines in each one-second window; the lines beyond are dropped and
 * counted, and the next line written says how many were suppressed since the last one. A flood of
 * denials therefore writes a bounded number of lines (about {@code perSecond} a second) whatever
 * its rate. Thread-safe; the check is a short synchronized section.
 */
final class RateLimitedLog {
    private static final long SECOND = 1_000_000_000L;
    private final int perSecond;
    private final Consumer<String> sink;
    private final LongSupplier nanos;
    private long windowStart;
    private int written;
    private long suppressed;
    private boolean started;

    RateLimitedLog(int perSecond, Consumer<String> sink, LongSupplier nanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.perSecond = perSecond;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanos = Objects.requireNonNull(nanos, "nanos");
    }

    /** Writes {@code line} unless this window's lines are used up; true when it was written. */
    boolean log(String line) {
        long dropped;
        synchronized (this) {
            long now = nanos.getAsLong();
            if (!started || now - windowStart >= SECOND) {
                started = true;
                windowStart = now;
                written = 0;
            }
            if (written >= perSecond) {
                suppressed++;
                return false;
            }
            written++;
            dropped = suppressed;
            suppressed = 0;
        }
        sink.accept(dropped == 0 ? line : line + " (" + dropped + " similar lines suppressed before this one)");
        return true;
    }
}
