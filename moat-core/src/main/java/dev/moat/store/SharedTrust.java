package dev.moat.store;

import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.util.Set;

/**
 * Trusted roots and revocations kept by a shared backend for every instance of a fleet, instead of
 * each instance's home files: a change made by any instance (or by the CLI) is seen by all of them
 * within a second. While the backend cannot be reached or has not been confirmed current for a
 * second, {@link #unavailable()} says why and every agent and token counts as revoked (fail
 * closed); the instance recovers by itself when the backend is back. Thread-safe; the checks are
 * in-memory reads.
 */
public interface SharedTrust extends RevocationCheck, AutoCloseable {

    /** The root ids trusted fleet-wide now (besides the policy's own {@code trusted_roots:}). */
    Set<AgentId> trustedRoots();

    /** Trusts {@code root} (named {@code name}) fleet-wide; false when it already was. Throws when the backend fails. */
    boolean trustRoot(AgentId root, String name);

    /** Stops trusting {@code root} fleet-wide; false when it was not trusted. */
    boolean distrustRoot(AgentId root);

    /** Revokes {@code agent} fleet-wide and applies it here before returning; false when it already was. */
    boolean revokeAgent(AgentId agent);

    /** Revokes a token id fleet-wide and applies it here before returning; false when it already was. */
    boolean revokeToken(String tokenId);

    /**
     * Runs {@code listener} after every change to the roots or revocations in force: on the backend's
     * thread, and on the caller's thread before a change made through this instance returns (so a
     * listener may run more than once for one change: it must be idempotent).
     */
    void onChange(Runnable listener);

    @Override
    void close();
}
