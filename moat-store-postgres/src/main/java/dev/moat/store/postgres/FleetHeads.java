package dev.moat.store.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.crypto.Base64Url;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the other replicas' heads in this replica's chain: every {@link #EVERY} (5 s), when this
 * replica appended entries of its own since the last record and another head moved, one
 * {@code lifecycle fleet_heads} entry whose detail is {@code {"heads":{"<replica>":{"count":n,"hash":h}},"v":1}}
 * (canonical JSON; {@code hash} the base64url hash of that replica's entry {@code n-1}). The entry is
 * in this chain, so this replica's signed checkpoints cover it: {@link FleetAuditVerifier} checks
 * every other chain against the latest heads each replica recorded, which finds a replica whose
 * rows were deleted whole, cut short, or rewritten (even under a new self-asserted key). An idle
 * fleet records nothing (a record only follows own entries, so replicas never answer each other's
 * records forever).
 */
final class FleetHeads implements AutoCloseable {
    /** How often the heads are read. */
    static final Duration EVERY = Duration.ofSeconds(5);
    /** Most replicas one record lists (a record stays far below an entry's 1 MiB line limit). */
    static final int MAX_REPLICAS = 2_000;
    static final String VERSION_KEY = "v";
    private static final Logger LOG = LoggerFactory.getLogger(FleetHeads.class);

    /** One replica's head: its entry count and the hash of its last entry. */
    record Head(long count, byte[] hash) {}

    private final PostgresDatabase database;
    private final String self;
    private final Consumer<AuditEvent> audit;
    private final ScheduledExecutorService timer;
    private Map<String, Long> lastCounts = Map.of();
    private long ownAtLastRecord = -2;

    private FleetHeads(PostgresDatabase database, Consumer<AuditEvent> audit) {
        this.database = database;
        this.self = database.config().replica();
        this.audit = Objects.requireNonNull(audit, "audit");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "moat-pg-fleet-heads");
            t.setDaemon(true);
            return t;
        });
    }

    static FleetHeads start(PostgresDatabase database, Consumer<AuditEvent> audit, Duration every) {
        FleetHeads f = new FleetHeads(database, audit);
        long ms = Math.max(10, every.toMillis());
        f.timer.scheduleWithFixedDelay(f::recordQuietly, 0, ms, TimeUnit.MILLISECONDS);
        return f;
    }

    private void recordQuietly() {
        try {
            record();
        } catch (SQLException | RuntimeException e) { // the next round tries again; the chain has no hole either way
            LOG.debug("fleet heads not recorded this round: {}", SqlErrors.describe(e));
        }
    }

    /** Reads every head; appends a record when this replica has new entries and another head moved. */
    synchronized void record() throws SQLException {
        Map<String, Head> heads = read(database, self);
        Head own = heads.remove(self);
        long ownCount = own == null ? 0 : own.count();
        Map<String, Long> counts = new TreeMap<>();
        heads.forEach((r, h) -> counts.put(r, h.count()));
        if (heads.isEmpty() || counts.equals(lastCounts) || ownCount <= ownAtLastRecord + 1) {
            return;
        }
        audit.accept(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.FLEET_HEADS, encode(heads), null));
        lastCounts = Map.copyOf(counts);
        ownAtLastRecord = ownCount;
    }

    /** Every replica's head (replicas without entries are left out), in one snapshot. */
    static Map<String, Head> read(PostgresDatabase database, String self) throws SQLException {
        Map<String, Head> out = new TreeMap<>();
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                List<String> replicas = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT replica FROM moat_audit_replicas ORDER BY replica LIMIT " + (MAX_REPLICAS + 1));
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        replicas.add(rs.getString(1));
                    }
                }
                if (replicas.size() > MAX_REPLICAS) {
                    throw new SQLException("more than " + MAX_REPLICAS + " replicas", "54000");
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT idx, line FROM moat_audit_entries WHERE replica = ? ORDER BY idx DESC LIMIT 1")) {
                    for (String r : replicas) {
                        ps.setString(1, r);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                AuditEntry e = AuditEntry.fromJsonLine(rs.getString(2));
                                out.put(r, new Head(rs.getLong(1) + 1, e.hash()));
                            }
                        }
                    }
                }
                c.commit();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return out;
    }

    static String encode(Map<String, Head> heads) {
        Map<String, Object> hs = new TreeMap<>();
        heads.forEach((r, h) -> hs.put(r, new TreeMap<>(Map.of("count", h.count(), "hash", Base64Url.encode(h.hash())))));
        return new String(CanonicalJson.encode(new TreeMap<>(Map.of("heads", hs, VERSION_KEY, 1L))), StandardCharsets.UTF_8);
    }

    /** The heads a record lists; {@link IllegalArgumentException} when the detail is not one. */
    static Map<String, Head> decode(String detail) {
        ObjectNode doc;
        try {
            doc = StrictJson.parseObject(detail.getBytes(StandardCharsets.UTF_8), dev.moat.audit.AuditEntry.MAX_LINE_BYTES, "fleet heads");
        } catch (Rejection e) {
            throw new IllegalArgumentException("fleet heads record is not JSON: " + e.failure().detail());
        }
        if (doc.size() != 2 || doc.path(VERSION_KEY).asLong() != 1 || !doc.path("heads").isObject()) {
            throw new IllegalArgumentException("not a version 1 fleet heads record");
        }
        Map<String, Head> out = new TreeMap<>();
        var it = doc.get("heads").fields();
        while (it.hasNext()) {
            var f = it.next();
            JsonNode h = f.getValue();
            if (!h.path("count").isIntegralNumber() || h.get("count").asLong() < 1 || !h.path("hash").isTextual()) {
                throw new IllegalArgumentException("fleet heads record: invalid head for " + f.getKey());
            }
            byte[] hash = Base64Url.decode(h.get("hash").textValue());
            if (hash.length != 32) {
                throw new IllegalArgumentException("fleet heads record: invalid hash for " + f.getKey());
            }
            out.put(f.getKey(), new Head(h.get("count").asLong(), hash));
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
