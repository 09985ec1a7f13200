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
 *
 * <p>When this limiter comes from the same {@link PostgresStores} as the replay store, the PEP's
 * two steps share one round trip: the sequence store's upsert also charges this window (only when
 * the sequence number is accepted), and the {@link #tryAcquire} that the PEP makes right after, on
 * the same thread, for the same sender, returns that verdict without a statement.
 */
public final class PostgresRateLimiter implements SenderRateLimiter {
    /** The upsert's conflict clause; parameters: window nanos, window nanos, limit. */
    static final String ON_CONFLICT = "ON CONFLICT (sender, scope) DO UPDATE SET times = "
            + "ARRAY(SELECT t FROM unnest(w.times) AS t WHERE t > EXCLUDED.times[1] - ? ORDER BY t) || EXCLUDED.times[1] "
            + "WHERE (SELECT count(*) FROM unnest(w.times) AS t WHERE t > EXCLUDED.times[1] - ?) < ? ";
    private static final String ACQUIRE = "INSERT INTO moat_rate_windows AS w (sender, scope, times) VALUES (?, ?, ?) "
            + ON_CONFLICT + "RETURNING 1";

    /**
     * The verdict the sequence store decided for this thread's last accepted message in the same
     * round trip (see {@link PostgresSequenceStore}); consumed by the next {@link #tryAcquire} for that sender.
     */
    private final ThreadLocal<Fused> fused = new ThreadLocal<>();

    private record Fused(AgentId sender, boolean admitted) {}

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
        Fused f = fused.get();
        if (f != null) {
            fused.remove();
            if (f.sender().equals(sender)) {
                return f.admitted(); // already charged with the sequence number, in its round trip
            }
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setString(1, sender.value());
            bind(c, ps, 2);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new RateLimitException("rate limit on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        }
    }

    /** Binds scope, the admission time (now) and the conflict clause's parameters from {@code index}; returns the next index. */
    int bind(Connection c, PreparedStatement ps, int index) throws SQLException {
        Instant now = clock.instant();
        long t = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        Array times = c.createArrayOf("bigint", new Long[] {t});
        ps.setString(index, scope);
        ps.setArray(index + 1, times);
        ps.setLong(index + 2, windowNanos);
        ps.setLong(index + 3, windowNanos);
        ps.setInt(index + 4, limit);
        return index + 5;
    }

    /** Records the verdict decided together with {@code sender}'s accepted sequence number on this thread. */
    void decided(AgentId sender, boolean admitted) {
        fused.set(new Fused(sender, admitted));
    }

    /** Forgets a verdict not consumed (the sequence number was refused, or the statement failed). */
    void clearDecided() {
        fused.remove();
    }
}
