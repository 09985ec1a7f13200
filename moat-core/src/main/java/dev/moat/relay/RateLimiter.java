package dev.moat.relay;

import dev.moat.identity.AgentId;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact sliding-window rate limit per verified sender: a call is admitted when fewer than
 * {@code limit} calls were admitted in the last {@code window}. Each sender keeps a ring of its
 * last {@code limit} admission times, so memory is bounded by senders x limit. Only ever called
 * with ids whose signature has been verified (never on a claimed id).
 */
public final class RateLimiter implements SenderRateLimiter {
    private final int limit;
    private final long windowNanos;
    private final Clock clock;
    private final ConcurrentHashMap<AgentId, Ring> rings = new ConcurrentHashMap<>();

    public RateLimiter(int limit, java.time.Duration window, Clock clock) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.clock = clock;
    }

    /** Admits one call for {@code sender}, or returns false when over the limit. */
    @Override
    public boolean tryAcquire(AgentId sender) {
        java.time.Instant now = clock.instant();
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Ring ring = rings.computeIfAbsent(sender, k -> new Ring(limit));
        synchronized (ring) {
            long oldest = ring.times[ring.next];
            if (ring.count == limit && t - oldest < windowNanos) {
                return false;
            }
            ring.times[ring.next] = t;
            ring.next = (ring.next + 1) % limit;
            if (ring.count < limit) {
                ring.count++;
            }
            return true;
        }
    }

    private static final class Ring {
        final long[] times;
        int next;
        int count;

        Ring(int size) {
            this.times = new long[size];
        }
    }
}
