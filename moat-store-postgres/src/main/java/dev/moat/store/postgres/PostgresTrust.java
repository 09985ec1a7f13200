package dev.moat.store.postgres;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditEvent.Revocation.Change;
import dev.moat.identity.AgentId;
import dev.moat.store.SharedTrust;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's trusted roots ({@code moat_trusted_roots}) and revocations ({@code moat_revocations})
 * as one replica sees them. Every statement that changes either table, from any replica, the CLI or
 * {@code psql}, bumps {@code moat_trust_epoch} and sends {@code NOTIFY moat_trust} (a trigger, see
 * {@code V3__shared_trust.sql}). A watcher thread holds its own connection with {@code LISTEN
 * moat_trust}, wakes on a notification or every {@link #POLL} (the polling fallback), reads the
 * epoch and, when it moved, reloads both tables in one snapshot and swaps the sets in whole.
 *
 * <p>Fail closed: what is held counts only while the database confirmed it within
 * {@link #MAX_STALENESS}. Past that, a check first reads the epoch itself through the pool (the
 * watcher may only be late: a starved thread, a pause); when the database does not answer (down,
 * connection lost) every agent and token counts as revoked and {@link #unavailable()} says why; the policy enforcement point
 * denies with that reason. The watcher reconnects by itself and service resumes at the first
 * confirmed read. So a revocation committed at time T is enforced by every replica from T + 1 s on
 * at the latest, by construction: either the replica read it or it denies everything. Changes are
 * audited ({@code revocation} events), losing and regaining the database too.
 */
public final class PostgresTrust implements SharedTrust {
    /** Longest wait between two reads of the epoch when no notification arrives. */
    public static final Duration POLL = Duration.ofMillis(200);
    /** How old the last confirmed read may be before every check fails closed. */
    public static final Duration MAX_STALENESS = Duration.ofSeconds(1);
    /** Most rows read from either table; more fails closed (a runaway table is not loaded into memory). */
    static final int MAX_ROWS = 200_000;
    private static final String SOURCE = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTrust.class);

    private record State(long epoch, Set<AgentId> roots, Set<String> agents, Set<String> tokens) {}

    private final PostgresDatabase database;
    private final Consumer<AuditEvent> audit;
    private final Object inline = new Object();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private final long staleNanos;
    private volatile State state;
    private volatile long confirmedAt;
    private volatile String lastError;
    private volatile boolean closed;
    private boolean failedAudited;
    private Thread watcher;
    private Connection listening;

    private PostgresTrust(PostgresDatabase database, Consumer<AuditEvent> audit, Duration maxStaleness) {
        this.database = database;
        this.audit = audit;
        this.staleNanos = maxStaleness.toNanos();
    }

    /**
     * Loads the tables (an unreadable database throws {@link PostgresStoreException}), audits what
     * they hold and starts the watcher thread.
     */
    static PostgresTrust open(PostgresDatabase database, Consumer<AuditEvent> audit) {
        PostgresTrust t = new PostgresTrust(database, Objects.requireNonNull(audit, "audit"), MAX_STALENESS);
        long started = System.nanoTime();
        try (Connection c = database.dataSource().getConnection()) {
            t.apply(load(c), started);
        } catch (SQLException e) {
            throw new PostgresStoreException(PostgresStoreException.Kind.UNREACHABLE,
                    "store: cannot read the trusted roots and revocations: " + SqlErrors.describe(e), e);
        }
        State s = t.state;
        t.record(new AuditEvent.Revocation(Change.LOADED, null, null, SOURCE,
                s.agents().size() + " agents and " + s.tokens().size() + " tokens revoked, " + s.roots().size() + " shared roots"));
        t.watcher = new Thread(t::watch, "moat-pg-trust");
        t.watcher.setDaemon(true);
        t.watcher.start();
        return t;
    }

    @Override
    public Set<AgentId> trustedRoots() {
        State s = state;
        return unavailable() != null ? Set.of() : s.roots();
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return unavailable() != null || state.agents().contains(agent.value());
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return unavailable() != null || state.tokens().contains(tokenId);
    }

    @Override
    public long generation() {
        return generation.get();
    }

    @Override
    public String unavailable() {
        if (closed) {
            return "the shared trust store is closed";
        }
        if (fresh()) {
            return null;
        }
        if (lastError == null) {
            confirmInline(); // the watcher is late (a starved thread, a pause), not failing: ask the database now
            if (fresh()) {
                return null;
            }
        }
        String err = lastError;
        return "trusted roots and revocations on PostgreSQL not confirmed for "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - confirmedAt) + " ms" + (err == null ? "" : ": " + err);
    }

    private boolean fresh() {
        return System.nanoTime() - confirmedAt <= staleNanos;
    }

    /** One read of the epoch through the pool (and a reload if it moved), by one caller at a time. */
    private void confirmInline() {
        synchronized (inline) {
            if (fresh() || closed) {
                return;
            }
            long started = System.nanoTime();
            try (Connection c = database.dataSource().getConnection()) {
                if (epoch(c) != state.epoch()) {
                    apply(load(c), started);
                } else {
                    confirm(started);
                }
            } catch (SQLException | RuntimeException e) {
                failed(e instanceof SQLException ? SqlErrors.describe(e) : e.getClass().getSimpleName());
            }
        }
    }

    private static long epoch(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT epoch FROM moat_trust_epoch")) {
            if (!rs.next()) {
                throw new SQLException("moat_trust_epoch has no row", "55000");
            }
            return rs.getLong(1);
        }
    }

    @Override
    public boolean trustRoot(AgentId root, String name) {
        return change("INSERT INTO moat_trusted_roots (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                root.value(), Objects.requireNonNull(name, "name"));
    }

    @Override
    public boolean distrustRoot(AgentId root) {
        return change("DELETE FROM moat_trusted_roots WHERE id = ?", root.value(), null);
    }

    @Override
    public boolean revokeAgent(AgentId agent) {
        return change("INSERT INTO moat_revocations (kind, value) VALUES ('agent', ?) ON CONFLICT DO NOTHING", agent.value(), null);
    }

    @Override
    public boolean revokeToken(String tokenId) {
        if (tokenId == null || tokenId.isEmpty() || tokenId.length() > 256) {
            throw new IllegalArgumentException("a token id is 1-256 characters");
        }
        return change("INSERT INTO moat_revocations (kind, value) VALUES ('token', ?) ON CONFLICT DO NOTHING", tokenId, null);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * One committed statement, then the new state read back and applied here before returning. The
     * listeners run here too, even when the state read back is already held: the watcher may have
     * swapped the same state in first (it heard the commit's notification) and still be running them
     * on its thread, and a trusted root is only in force in the registry once they have run.
     */
    private boolean change(String sql, String a, String b) {
        long started = System.nanoTime();
        try (Connection c = database.dataSource().getConnection()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, a);
                if (b != null) {
                    ps.setString(2, b);
                }
                n = ps.executeUpdate();
            }
            if (!apply(load(c), started)) {
                notifyListeners();
            }
            return n > 0;
        } catch (SQLException e) {
            throw new PostgresStoreException(PostgresStoreException.Kind.UNREACHABLE,
                    "store: cannot change the shared trust store: " + SqlErrors.describe(e), e);
        }
    }

    private void watch() {
        while (!closed) {
            try {
                if (listening == null) {
                    listening = database.connectDirectly();
                    try (Statement s = listening.createStatement()) {
                        s.execute("LISTEN moat_trust");
                    }
                }
                long started = System.nanoTime();
                if (epoch(listening) != state.epoch()) {
                    apply(load(listening), started);
                } else {
                    confirm(started);
                }
                // returns at the first notification, or after POLL: either way the epoch is read again
                listening.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                failed(e instanceof SQLException ? SqlErrors.describe(e) : e.getClass().getSimpleName());
                closeListening();
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Both tables and the epoch in one snapshot. */
    private static State load(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            long epoch;
            try (ResultSet rs = s.executeQuery("SELECT epoch FROM moat_trust_epoch")) {
                if (!rs.next()) {
                    throw new SQLException("moat_trust_epoch has no row", "55000");
                }
                epoch = rs.getLong(1);
            }
            Set<AgentId> roots = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT id FROM moat_trusted_roots LIMIT " + (MAX_ROWS + 1))) {
                int n = 0;
                while (rs.next()) {
                    if (++n > MAX_ROWS) {
                        throw new SQLException("moat_trusted_roots holds more than " + MAX_ROWS + " rows", "54000");
                    }
                    String id = rs.getString(1);
                    if (AgentId.isWellFormed(id)) {
                        roots.add(AgentId.parse(id));
                    } else {
                        LOG.warn("moat_trusted_roots: ignoring a malformed agent id");
                    }
                }
            }
            Set<String> agents = new HashSet<>();
            Set<String> tokens = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT kind, value FROM moat_revocations LIMIT " + (MAX_ROWS + 1))) {
                int n = 0;
                while (rs.next()) {
                    if (++n > MAX_ROWS) {
                        throw new SQLException("moat_revocations holds more than " + MAX_ROWS + " rows", "54000");
                    }
                    (rs.getString(1).equals("agent") ? agents : tokens).add(rs.getString(2));
                }
            }
            c.commit();
            return new State(epoch, Set.copyOf(roots), Set.copyOf(agents), Set.copyOf(tokens));
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // reporting the first failure
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Swaps in {@code next} unless a newer state is already held; read at {@code started} (nanoTime).
     * True when it changed what is in force and the listeners have run on this thread.
     */
    private boolean apply(State next, long started) {
        List<AuditEvent> events = new java.util.ArrayList<>();
        boolean rootsChanged;
        synchronized (this) {
            State before = state;
            if (before != null && next.epoch() < before.epoch()) {
                confirm(started); // a slower reader's older snapshot: what is held is newer
                return false;
            }
            state = next;
            if (before == null) {
                confirm(started);
                return false;
            }
            rootsChanged = !before.roots().equals(next.roots());
            if (rootsChanged || !before.agents().equals(next.agents()) || !before.tokens().equals(next.tokens())) {
                generation.incrementAndGet();
            }
            diff(next.agents(), before.agents(), a -> events.add(new AuditEvent.Revocation(Change.REVOKED, a, null, SOURCE, null)));
            diff(next.tokens(), before.tokens(), t -> events.add(new AuditEvent.Revocation(Change.REVOKED, null, t, SOURCE, null)));
            diff(before.agents(), next.agents(), a -> events.add(new AuditEvent.Revocation(Change.RESTORED, a, null, SOURCE, null)));
            diff(before.tokens(), next.tokens(), t -> events.add(new AuditEvent.Revocation(Change.RESTORED, null, t, SOURCE, null)));
            confirm(started);
        }
        if (rootsChanged) {
            LOG.info("shared trusted roots changed: {} now", next.roots().size());
        }
        events.forEach(this::record);
        if (rootsChanged || !events.isEmpty()) {
            notifyListeners();
            return true;
        }
        return false;
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("a shared-trust listener failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    private void confirm(long started) {
        boolean recovered;
        synchronized (this) {
            if (started - confirmedAt > 0 || confirmedAt == 0) {
                confirmedAt = started;
            }
            recovered = failedAudited;
            failedAudited = false;
            lastError = null;
        }
        if (recovered) {
            LOG.warn("shared trust store on PostgreSQL is back: calls are decided on it again");
            record(new AuditEvent.Revocation(Change.RECOVERED, null, null, SOURCE, "the database answers again"));
        }
    }

    private void failed(String why) {
        boolean first;
        synchronized (this) {
            lastError = why;
            first = !failedAudited;
            failedAudited = true;
        }
        if (first) {
            LOG.error("shared trust store on PostgreSQL unreachable, denying every call within {} ms until it is back: {}",
                    MAX_STALENESS.toMillis(), why);
            record(new AuditEvent.Revocation(Change.UNREADABLE, null, null, SOURCE, why));
        }
    }

    private static void diff(Set<String> a, Set<String> b, Consumer<String> out) {
        a.stream().filter(x -> !b.contains(x)).sorted().forEach(out);
    }

    private void record(AuditEvent e) {
        try {
            audit.accept(e);
        } catch (RuntimeException ex) {
            LOG.error("could not audit a shared-trust change: {}", ex.getClass().getSimpleName());
        }
    }

    private void closeListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            listening = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        generation.incrementAndGet();
        if (watcher != null) {
            watcher.interrupt();
            try {
                watcher.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (watcher == null || !watcher.isAlive()) {
            closeListening();
        }
    }
}
