package dev.moat.relay;

import dev.moat.identity.AgentId;

/**
 * The rate limit the PEP applies to verified senders, after the replay check. {@link RateLimiter}
 * is the in-process default; a shared store (for example PostgreSQL) gives one window per sender
 * across every replica. On a storage failure an implementation throws {@link RateLimitException},
 * which the PEP turns into a denial.
 */
public interface SenderRateLimiter {

    /** Admits one call for {@code sender} (an id whose signature was verified), or returns false when over the limit. */
    boolean tryAcquire(AgentId sender);
}
