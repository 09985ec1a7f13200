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

    @Override
    void close();
}
