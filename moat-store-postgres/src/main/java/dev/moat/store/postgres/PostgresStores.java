package dev.moat.store.postgres;

import dev.moat.audit.AuditStore;
import dev.moat.relay.SenderRateLimiter;
import dev.moat.replay.SequenceStore;
import dev.moat.store.Stores;
import java.time.Clock;
import java.time.Duration;

/**
 * The replay store, this replica's audit store and shared rate limits over one PostgreSQL pool.
 * {@link #close()} closes the pool; close the audit log (and Moat) first.
 */
public final class PostgresStores implements Stores {
    /** Unwritten audit items kept while the database is unreachable before the store fails for good. */
    public static final int MAX_QUEUED_AUDIT = 100_000;

    private final PostgresDatabase database;
    private final PostgresSequenceStore sequences;
    private final PostgresAuditStore audit;
    private FleetHeads heads;
    private final java.util.List<PostgresTrust> trusts = new java.util.concurrent.CopyOnWriteArrayList<>();

    private PostgresStores(PostgresDatabase database) {
        this.database = database;
        this.sequences = new PostgresSequenceStore(database.dataSource(), database.config());
        this.audit = new PostgresAuditStore(database, MAX_QUEUED_AUDIT);
    }

    /** Connects, migrates and returns the stores; {@link PostgresStoreException} says why not. */
    public static PostgresStores open(PostgresConfig config) {
        return new PostgresStores(PostgresDatabase.open(config));
    }

    @Override
    public SequenceStore sequenceStore() {
        return sequences;
    }

    /** This replica's audit store (opens once: give it to one {@link dev.moat.audit.AuditLog}). */
    @Override
    public AuditStore auditStore() {
        return audit;
    }

    /**
     * A shared rate limiter; the replay store charges it in the same round trip as each accepted
     * sequence number (the last limiter created here is the one fused).
     */
    @Override
    public SenderRateLimiter rateLimiter(int limit, Duration window, Clock clock) {
        PostgresRateLimiter limiter = new PostgresRateLimiter(database.dataSource(), database.config(), limit, window, clock);
        sequences.fuse(limiter);
        return limiter;
    }

    /**
     * The fleet's trusted roots and revocations ({@link PostgresTrust}: {@code LISTEN/NOTIFY},
     * polling as the fallback, fail closed after a second without the database); closed with these stores.
     */
    @Override
    public java.util.Optional<dev.moat.store.SharedTrust> sharedTrust(java.util.function.Consumer<dev.moat.audit.AuditEvent> audit) {
        PostgresTrust t = PostgresTrust.open(database, audit);
        trusts.add(t);
        return java.util.Optional.of(t);
    }

    /** Records the other replicas' heads in this replica's chain every 5 s ({@link FleetHeads}); stopped by {@link #close()}. */
    @Override
    public synchronized void auditFleet(java.util.function.Consumer<dev.moat.audit.AuditEvent> audit) {
        if (heads != null) {
            throw new IllegalStateException("the fleet heads of these stores are already recorded");
        }
        heads = FleetHeads.start(database, audit, FleetHeads.EVERY);
    }

    public PostgresDatabase database() {
        return database;
    }

    @Override
    public void close() {
        try {
            if (heads != null) {
                heads.close();
            }
            trusts.forEach(PostgresTrust::close);
            audit.close();
        } finally {
            database.close();
        }
    }
}
