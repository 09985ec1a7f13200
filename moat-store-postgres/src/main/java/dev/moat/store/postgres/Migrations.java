package dev.moat.store.postgres;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Moat's schema as plain versioned SQL files ({@code migrations/V<n>__<name>.sql} next to this
 * class), applied at start-up in one transaction under a transaction-scoped advisory lock, so
 * replicas starting together migrate once. {@code moat_schema_version} records each applied
 * version with the SHA-256 of its file. Refused, with a {@link PostgresStoreException}: Moat tables
 * without a recorded version, a version newer than this code, a history that is not a prefix of
 * this code's (a gap, or a file whose checksum differs). An older schema is brought forward.
 */
public final class Migrations {
    /** The files, in order; version n is element n-1. */
    static final List<String> FILES = List.of("V1__replay_and_audit.sql", "V2__rate_windows.sql", "V3__shared_trust.sql");
    private static final long LOCK_KEY = 0x6d6f61745f736368L; // "moat_sch"
    private static final String[] MOAT_TABLES = {"moat_sequences", "moat_audit_replicas", "moat_audit_entries",
        "moat_audit_checkpoints", "moat_rate_windows", "moat_trusted_roots", "moat_revocations", "moat_trust_epoch"};

    private Migrations() {}

    /** What {@link #apply} found ({@code from}, 0 for an empty database) and left ({@code to}). */
    public record Result(int from, int to) {
        public boolean upgraded() {
            return to > from;
        }
    }

    /** The schema version this code writes and expects. */
    public static int currentVersion() {
        return FILES.size();
    }

    /** Brings the schema to {@link #currentVersion()} (or refuses); commits, and restores auto-commit. */
    public static Result apply(Connection c) throws SQLException {
        return apply(c, currentVersion());
    }

    /** As {@link #apply(Connection)}, stopping at {@code target} (tests build older schemas with it). */
    static Result apply(Connection c, int target) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Result r = applyLocked(c, target);
            c.commit();
            return r;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // reporting the first failure
            }
            if (e instanceof PostgresStoreException p) {
                throw p;
            }
            if (e instanceof SQLException s && !SqlErrors.state(s).startsWith("08")) {
                throw new PostgresStoreException(PostgresStoreException.Kind.MIGRATION_FAILED,
                        "store: cannot bring the schema to version " + target + ": " + SqlErrors.describe(s), s);
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static Result applyLocked(Connection c, int target) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
        boolean hasVersionTable = exists(c, "moat_schema_version");
        List<Recorded> recorded = hasVersionTable ? recorded(c) : List.of();
        if (recorded.isEmpty()) {
            for (String t : MOAT_TABLES) {
                if (exists(c, t)) {
                    throw new PostgresStoreException(PostgresStoreException.Kind.SCHEMA_VERSION_MISSING,
                            "store: table " + t + " exists but no Moat schema version is recorded in moat_schema_version; "
                                    + "refusing to guess what it holds");
                }
            }
        }
        if (!hasVersionTable) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE moat_schema_version (version integer PRIMARY KEY, name text NOT NULL, "
                        + "sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            }
        }
        int have = recorded.size();
        for (int i = 0; i < recorded.size(); i++) {
            Recorded r = recorded.get(i);
            if (r.version() > FILES.size()) {
                throw new PostgresStoreException(PostgresStoreException.Kind.SCHEMA_NEWER,
                        "store: the database's schema version " + recorded.get(recorded.size() - 1).version()
                                + " is newer than this code's " + FILES.size() + "; upgrade Moat");
            }
            if (r.version() != i + 1) {
                throw new PostgresStoreException(PostgresStoreException.Kind.SCHEMA_UNKNOWN,
                        "store: recorded schema versions are not 1.." + recorded.size() + " (found " + r.version() + ")");
            }
            if (!r.sha256().equals(checksum(FILES.get(i)))) {
                throw new PostgresStoreException(PostgresStoreException.Kind.SCHEMA_UNKNOWN,
                        "store: schema version " + r.version() + " in the database differs from this code's " + FILES.get(i));
            }
        }
        for (int v = have + 1; v <= target; v++) {
            String file = FILES.get(v - 1);
            try (Statement s = c.createStatement()) {
                s.execute(read(file));
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO moat_schema_version (version, name, sha256) VALUES (?, ?, ?)")) {
                ps.setInt(1, v);
                ps.setString(2, file);
                ps.setString(3, checksum(file));
                ps.executeUpdate();
            }
        }
        return new Result(have, Math.max(have, target));
    }

    private record Recorded(int version, String sha256) {}

    private static List<Recorded> recorded(Connection c) throws SQLException {
        List<Recorded> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, sha256 FROM moat_schema_version ORDER BY version")) {
            while (rs.next()) {
                out.add(new Recorded(rs.getInt(1), rs.getString(2)));
            }
        }
        return out;
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static String read(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    static String checksum(String file) {
        return Base64Url.encode(Sha256.hash(read(file).getBytes(StandardCharsets.UTF_8)));
    }
}
