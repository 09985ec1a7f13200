package dev.moat.store;

import dev.moat.audit.AuditStore;
import dev.moat.relay.SenderRateLimiter;
import dev.moat.replay.SequenceStore;
import java.time.Clock;
import java.time.Duration;

/**
 * The stores one backend serves to one Moat instance: replay state, the audit store (wrap it in an
 * {@link dev.moat.audit.AuditLog}) and shared rate-limit windows. {@link #close()} releases what
 * they share (for example a connection pool), after the audit log and the sequence store are closed.
 */
public interface Stores extends AutoCloseable {

    SequenceStore sequenceStore();

    AuditStore auditStore();

    /** A rate limiter of {@code limit} calls per {@code window} per verified sender, shared by every user of the backend. */
    SenderRateLimiter rateLimiter(int limit, Duration window, Clock clock);

    /**
     * Trusted roots and revocations shared by every user of the backend, when it keeps them
     * (empty: the instances' homes keep theirs). Opened once per instance; changes are audited
     * through {@code audit} as {@link dev.moat.audit.AuditEvent.Revocation} events. Closed by
     * {@link #close()} at the latest.
     */
    default java.util.Optional<SharedTrust> sharedTrust(java.util.function.Consumer<dev.moat.audit.AuditEvent> audit) {
        return java.util.Optional.empty();
    }

    /**
     * Starts recording, through {@code audit} (this instance's log), the heads of the other chains
     * the backend holds ({@code lifecycle fleet_heads} entries), so that this chain's signed
     * checkpoints also cover the other replicas' heads. Does nothing by default.
     */
    default void auditFleet(java.util.function.Consumer<dev.moat.audit.AuditEvent> audit) {
    }

    @Override
    void close();
}
