package dev.moat.store.postgres;

import dev.moat.identity.AgentId;
import dev.moat.relay.RateLimitException;
import dev.moat.relay.SenderRateLimiter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * An exact sliding-window rate limit per verified sender shared by every replica, with the same
 * rule as the in-process {@link dev.moat.relay.RateLimiter}: admitted when fewer than {@code limit}
 * calls were admitted in the last {@code window}. Each sender's row holds the admission times still
 * in the window (at most {@code limit}); one upsert per call, one round trip, decides and records
 * under the row's lock. Times come from the caller's clock (replicas' clocks must agree, as they
 * must for message time windows). A database failure throws {@link RateLimitException}.
 */
public final class PostgresRateLimiter implements SenderRateLimiter {
    private static final String ACQUIRE = "INSERT INTO moat_rate_windows AS w (sender, scope, times) VALUES (?, ?, ?) "
            + "ON CONFLICT (sender, scope) DO UPDATE SET times = "
            + "ARRAY(SELECT t FROM unnest(w.times) AS t WHERE t > EXCLUDED.times[1] - ? ORDER BY t) || EXCLUDED.times[1] "
            + "WHERE (SELECT count(*) FROM unnest(w.times) AS t WHERE t > EXCLUDED.times[1] - ?) < ? "
            + "RETURNING 1";

    private final DataSource db;
    private final int limit;
    private final long windowNanos;
    private final Clock clock;
    private final String scope;
    private final int queryTimeoutSeconds;

    public PostgresRateLimiter(DataSource db, PostgresConfig config, int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.db = Objects.requireNonNull(db, "db");
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scope = limit + "/" + windowNanos;
        this.queryTimeoutSeconds = (int) Math.max(1, (config.queryTimeout().toMillis() + 999) / 1000);
    }

    @Override
    public boolean tryAcquire(AgentId sender) {
        Instant now = clock.instant();
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            Array times = c.createArrayOf("bigint", new Long[] {t});
            ps.setString(1, sender.value());
            ps.setString(2, scope);
            ps.setArray(3, times);
            ps.setLong(4, windowNanos);
            ps.setLong(5, windowNanos);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RateLimitException("rate limit on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        }
    }
}
