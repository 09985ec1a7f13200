package dev.moat.store.postgres;

import dev.moat.identity.AgentId;
import dev.moat.replay.SequenceStore;
import dev.moat.replay.SequenceStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The replay store shared by every replica: one row per sender in {@code moat_sequences}.
 * {@link #advance} is one statement, one round trip, committed before it returns
 * ({@code synchronous_commit = on}):
 * {@code INSERT ... ON CONFLICT (sender) DO UPDATE SET seq = EXCLUDED.seq WHERE moat_sequences.seq < EXCLUDED.seq RETURNING seq}.
 * The row lock of the upsert orders racing replicas, so one number is accepted at most once
 * fleet-wide. Any database failure throws {@link SequenceStoreException} (the PEP denies). With a
 * fused {@link PostgresRateLimiter} the same statement also charges the sender's rate window.
 */
public final class PostgresSequenceStore implements SequenceStore {
    static final String ADVANCE = "INSERT INTO moat_sequences AS s (sender, seq) VALUES (?, ?) "
            + "ON CONFLICT (sender) DO UPDATE SET seq = EXCLUDED.seq WHERE s.seq < EXCLUDED.seq RETURNING s.seq";
    private static final String LAST = "SELECT seq FROM moat_sequences WHERE sender = ?";

    /** Sequence upsert plus, only if it accepted, the rate-window upsert: one statement, one round trip. */
    private static final String ADVANCE_AND_CHARGE = "WITH s AS (" + ADVANCE + "), "
            + "r AS (INSERT INTO moat_rate_windows AS w (sender, scope, times) SELECT ?, ?::text, ?::bigint[] WHERE EXISTS (SELECT 1 FROM s) "
            + PostgresRateLimiter.ON_CONFLICT + "RETURNING 1) "
            + "SELECT EXISTS (SELECT 1 FROM s), EXISTS (SELECT 1 FROM r)";

    private final DataSource db;
    private final int queryTimeoutSeconds;
    private volatile PostgresRateLimiter fusedLimiter;

    public PostgresSequenceStore(DataSource db, PostgresConfig config) {
        this.db = Objects.requireNonNull(db, "db");
        this.queryTimeoutSeconds = (int) Math.max(1, (config.queryTimeout().toMillis() + 999) / 1000);
    }

    /** Charges {@code limiter}'s window in the same statement as each accepted sequence number (see {@link PostgresRateLimiter}). */
    void fuse(PostgresRateLimiter limiter) {
        this.fusedLimiter = limiter;
    }

    @Override
    public boolean advance(AgentId sender, long seq) {
        if (seq < 0) {
            return false;
        }
        PostgresRateLimiter limiter = fusedLimiter;
        if (limiter != null) {
            return advanceAndCharge(limiter, sender, seq);
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ADVANCE)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, sender.value());
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new SequenceStoreException("replay store on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        }
    }

    private boolean advanceAndCharge(PostgresRateLimiter limiter, AgentId sender, long seq) {
        limiter.clearDecided();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ADVANCE_AND_CHARGE)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, sender.value());
            ps.setLong(2, seq);
            ps.setString(3, sender.value());
            limiter.bind(c, ps, 4);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean accepted = rs.getBoolean(1);
                if (accepted) {
                    limiter.decided(sender, rs.getBoolean(2));
                }
                return accepted;
            }
        } catch (SQLException e) {
            throw new SequenceStoreException("replay store on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        }
    }

    @Override
    public long last(AgentId sender) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(LAST)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, sender.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            throw new SequenceStoreException("replay store on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        }
    }
}
