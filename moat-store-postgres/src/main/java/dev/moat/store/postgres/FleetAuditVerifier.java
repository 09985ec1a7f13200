package dev.moat.store.postgres;

import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Ed25519PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Verifies the whole fleet's audit: every replica's chain and signed checkpoints, with core's
 * {@link AuditVerifier#verifyLines} (the same steps and results as a file), streaming rows in
 * {@code idx} / {@code pos} order with a cursor. A row edited by hand breaks its entry's hash; a
 * deleted row leaves an index gap; rows deleted at the end are caught by a checkpoint covering more
 * entries (truncation). Keys given by the caller are trusted ({@link AuditVerification.KeyTrust#PROVIDED});
 * otherwise the key stored with the replica is used ({@code SELF_ASSERTED}: whoever can rewrite the
 * rows can rewrite it). A replica whose key was given but which has no chain is reported missing.
 * Every chain is also checked against the latest head each other replica recorded of it
 * ({@code lifecycle fleet_heads} entries, see {@link FleetHeads}, covered by the recording replica's
 * signed checkpoints): a replica deleted whole, cut short or rewritten is found from the others' chains.
 */
public final class FleetAuditVerifier {
    private static final int FETCH = 1000;

    private FleetAuditVerifier() {}

    /**
     * Verifies every chain in the database. {@code trustedKeys} maps replica ids to their log keys
     * (may be empty); {@code requireCheckpointAtHead} also fails a chain whose last entries are not
     * covered by a checkpoint (true only after every replica was closed cleanly).
     */
    public static FleetVerification verify(DataSource db, Map<String, Ed25519PublicKey> trustedKeys, boolean requireCheckpointAtHead) {
        Objects.requireNonNull(db, "db");
        Map<String, AuditVerification> out = new TreeMap<>();
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // cursors stream only inside a transaction
            try {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot for all chains
                Map<String, String> keys = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT replica, log_key FROM moat_audit_replicas ORDER BY replica");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.put(rs.getString(1), rs.getString(2));
                    }
                }
                Map<String, Map<String, Claim>> claims = new TreeMap<>(); // writer -> (replica -> latest head it recorded)
                for (Map.Entry<String, String> r : keys.entrySet()) {
                    Map<String, Claim> mine = new TreeMap<>();
                    AuditVerification v = verifyReplica(c, r.getKey(), r.getValue(), trustedKeys.get(r.getKey()), requireCheckpointAtHead, mine);
                    long verified = v instanceof AuditVerification.Intact ok ? ok.entries() : ((AuditVerification.Broken) v).entriesVerified();
                    mine.values().removeIf(claim -> claim.index() >= verified); // only heads recorded in the verified part count
                    claims.put(r.getKey(), mine);
                    out.put(r.getKey(), v);
                }
                crossCheck(c, claims, out);
                for (String given : trustedKeys.keySet()) {
                    if (!keys.containsKey(given)) {
                        out.put(given, new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.LOG, 0, 0,
                                "no audit chain for replica '" + given + "'"), 0));
                    }
                }
                c.commit();
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        } catch (SQLException | UncheckedSql e) {
            throw new PostgresStoreException(PostgresStoreException.Kind.UNREACHABLE,
                    "audit verify: cannot read the audit tables: " + SqlErrors.describe(e), e);
        }
        return new FleetVerification(out);
    }

    /** A head recorded by a {@code fleet_heads} entry at {@code index} of the writer's chain. */
    private record Claim(long index, FleetHeads.Head head) {}

    /**
     * Each replica's chain against the latest head every other replica recorded of it: absent
     * ({@code MISSING}), shorter ({@code TRUNCATED}) or with another entry there
     * ({@code CHECKPOINT_MISMATCH}) breaks that replica, unless it is already broken.
     */
    private static void crossCheck(Connection c, Map<String, Map<String, Claim>> claims, Map<String, AuditVerification> out)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT line FROM moat_audit_entries WHERE replica = ? AND idx = ?")) {
            for (Map.Entry<String, Map<String, Claim>> w : claims.entrySet()) {
                for (Map.Entry<String, Claim> e : w.getValue().entrySet()) {
                    String replica = e.getKey();
                    Claim claim = e.getValue();
                    AuditVerification current = out.get(replica);
                    if (current != null && !current.isIntact()) {
                        continue;
                    }
                    String by = "replica " + w.getKey() + " recorded " + claim.head().count() + " entries of it at its index " + claim.index();
                    AuditBreak br = null;
                    if (current == null) {
                        br = new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.LOG, 0, 0, "no audit chain, but " + by);
                    } else if (((AuditVerification.Intact) current).entries() < claim.head().count()) {
                        br = new AuditBreak(AuditBreak.Kind.TRUNCATED, AuditBreak.Source.LOG, claim.head().count() - 1, 0,
                                "chain has " + ((AuditVerification.Intact) current).entries() + " entries, but " + by);
                    } else {
                        ps.setString(1, replica);
                        ps.setLong(2, claim.head().count() - 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next() || !java.util.Arrays.equals(dev.moat.audit.AuditEntry.fromJsonLine(rs.getString(1)).hash(),
                                    claim.head().hash())) {
                                br = new AuditBreak(AuditBreak.Kind.CHECKPOINT_MISMATCH, AuditBreak.Source.LOG, claim.head().count() - 1, 0,
                                        "entry differs from the head " + by);
                            }
                        }
                    }
                    if (br != null) {
                        out.put(replica, new AuditVerification.Broken(br, current == null ? 0
                                : Math.min(((AuditVerification.Intact) current).entries(), claim.head().count() - 1)));
                    }
                }
            }
        }
    }

    private static AuditVerification verifyReplica(Connection c, String replica, String storedKey, Ed25519PublicKey trusted,
                                                   boolean requireCheckpointAtHead, Map<String, Claim> claims) throws SQLException {
        Ed25519PublicKey key = trusted;
        AuditVerification.KeyTrust trust = AuditVerification.KeyTrust.PROVIDED;
        if (key == null) {
            try {
                key = Ed25519PublicKey.of(Base64Url.decode(storedKey));
            } catch (RuntimeException e) {
                return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.KEY, 0, 0,
                        "stored log key is not an Ed25519 public key"), 0);
            }
            trust = AuditVerification.KeyTrust.SELF_ASSERTED;
        }
        try (PreparedStatement entries = c.prepareStatement("SELECT line FROM moat_audit_entries WHERE replica = ? ORDER BY idx");
             PreparedStatement cps = c.prepareStatement("SELECT line FROM moat_audit_checkpoints WHERE replica = ? ORDER BY pos")) {
            entries.setFetchSize(FETCH);
            cps.setFetchSize(FETCH);
            entries.setString(1, replica);
            cps.setString(1, replica);
            try (ResultSet er = entries.executeQuery(); ResultSet cr = cps.executeQuery()) {
                return AuditVerifier.verifyLines(new Lines(er, claims), new Lines(cr, null), key, trust, requireCheckpointAtHead);
            }
        }
    }

    /** A result set's first column as an iterator; SQL failures surface as {@link UncheckedSql}. */
    private static final class Lines implements Iterator<String> {
        private final ResultSet rs;
        private final Map<String, Claim> claims;
        private Boolean ahead;

        /** {@code claims}, when given, collects the latest head per replica from {@code fleet_heads} entries. */
        Lines(ResultSet rs, Map<String, Claim> claims) {
            this.rs = rs;
            this.claims = claims;
        }

        private void collect(String line) {
            if (claims == null || !line.contains("\"fleet_heads\"")) {
                return;
            }
            try {
                dev.moat.audit.AuditEntry e = dev.moat.audit.AuditEntry.fromJsonLine(line);
                if (e.event() instanceof dev.moat.audit.AuditEvent.Lifecycle l && l.kind() == dev.moat.audit.AuditEvent.Lifecycle.Kind.FLEET_HEADS
                        && l.detail() != null) {
                    FleetHeads.decode(l.detail()).forEach((r, h) -> claims.put(r, new Claim(e.index(), h)));
                }
            } catch (RuntimeException malformed) {
                // the chain verifier reports a malformed entry; a malformed heads record proves nothing
            }
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rs.next();
                } catch (SQLException e) {
                    throw new UncheckedSql(e);
                }
            }
            return ahead;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            try {
                String line = rs.getString(1);
                collect(line);
                return line;
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }
    }

    private static final class UncheckedSql extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedSql(SQLException cause) {
            super(cause);
        }
    }
}
