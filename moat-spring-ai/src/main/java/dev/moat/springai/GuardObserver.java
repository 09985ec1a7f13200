package dev.moat.springai;

import dev.moat.guard.GuardedCall;

/**
 * Sees the outcome of every call a {@link GuardedToolCallback} guards, after the guard decided
 * and (when allowed) the tool ran: for metrics. It observes only; what it throws is swallowed
 * (logged by type) and never changes the call's result. The Spring Boot starter records
 * Micrometer meters through one of these.
 */
@FunctionalInterface
public interface GuardObserver {
    /** Observes nothing (the default). */
    GuardObserver NONE = (tool, outcome, nanos) -> {};

    /**
     * @param tool    the tool's name
     * @param outcome completed, denied (with the stage and reason) or failed
     * @param nanos   time spent in {@code Guard.call}, the tool's own run included
     */
    void observed(String tool, GuardedCall<?> outcome, long nanos);
}
