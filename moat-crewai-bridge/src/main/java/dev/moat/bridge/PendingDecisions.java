package dev.moat.bridge;

import dev.moat.pep.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allowed decisions awaiting their outcome report. Each id is unguessable, bound to the session
 * that asked, usable once, and expires after the TTL; at most {@code max} are outstanding (expired
 * ones are swept first). A wrong session, a second use and an expired id all look alike: unknown.
 */
final class PendingDecisions {
    /** One allowed decision waiting for its outcome. */
    record Pending(String session, Decision.Allow allow, Instant expires) {}

    private final Map<String, Pending> byId = new ConcurrentHashMap<>();
    private final int max;
    private final Duration ttl;
    private final Clock clock;

    PendingDecisions(int max, Duration ttl, Clock clock) {
        this.max = max;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Refuses up front when full, so no call is signed that could not be tracked. */
    void ensureCapacity() {
        if (byId.size() >= max) {
            sweep();
            if (byId.size() >= max) {
                throw new ApiError(429, "too_many_pending", "at most " + max + " allowed calls may await their outcome");
            }
        }
    }

    void put(String id, String session, Decision.Allow allow) {
        byId.put(id, new Pending(session, allow, clock.instant().plus(ttl)));
    }

    /** Removes and returns the decision when {@code session} owns it and it has not expired. */
    Decision.Allow take(String id, String session) {
        Pending p = byId.get(id);
        if (p == null || !p.session().equals(session)) {
            throw unknown();
        }
        if (!byId.remove(id, p)) {
            throw unknown();
        }
        if (!clock.instant().isBefore(p.expires())) {
            throw unknown();
        }
        return p.allow();
    }

    int size() {
        return byId.size();
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Iterator<Pending> it = byId.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expires())) {
                it.remove();
            }
        }
    }

    private static ApiError unknown() {
        return new ApiError(404, "unknown_decision", "no such pending decision for this session (unknown, used, or expired)");
    }
}
