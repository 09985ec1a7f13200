package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Three replicas as real child JVMs on one PostgreSQL database. */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class FleetTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    @TempDir
    Path dir;

    private static final int THREADS = 4;
    private static final int CALLS = 20;
    private static final int ENVELOPES = 60;

    private Path envelopes() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte[] e : Fleet.sharedEnvelopes(ENVELOPES, Fleet.POLICY)) {
            sb.append(Base64.getEncoder().encodeToString(e)).append('\n');
        }
        Path f = dir.resolve("envelopes.txt");
        Files.writeString(f, sb.toString());
        return f;
    }

    /** Message ids of allowed decisions and of OK tool outcomes, per replica, read from the audit table. */
    private static Map<String, Set<String>> audited(PgServer.Db db, boolean outcomes) throws Exception {
        Map<String, Set<String>> out = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT replica, line FROM moat_audit_entries");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AuditEvent e = AuditEntry.fromJsonLine(rs.getString(2)).event();
                String id = null;
                if (!outcomes && e instanceof AuditEvent.Decision d && d.allowed()) {
                    id = d.messageId();
                } else if (outcomes && e instanceof AuditEvent.ToolOutcome o && o.status() == AuditEvent.ToolOutcome.Status.OK) {
                    id = o.messageId();
                }
                if (id != null) {
                    out.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(id);
                }
            }
        }
        return out;
    }

    private static FleetVerification verify(PgServer.Db db, boolean requireHead) {
        try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
            return FleetAuditVerifier.verify(v.dataSource(), Map.of(), requireHead);
        }
    }

    private static List<String> ids(Replica r, String prefix) {
        List<String> out = new ArrayList<>();
        for (String l : r.lines) {
            if (l.startsWith(prefix)) {
                out.add(l.substring(prefix.length()));
            }
        }
        return out;
    }

    @Test
    void threeReplicasRefuseEachOthersReplaysAuditEverythingAndFindHandEdits() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        Path env = envelopes();
        List<Replica> fleet = new ArrayList<>();
        try {
            for (String id : List.of("r1", "r2", "r3")) { // they start together: the migration runs once, under its lock
                fleet.add(new Replica(db, id, THREADS, CALLS, env, dir));
            }
            for (Replica r : fleet) {
                r.await("ready"::equals, 90);
            }
            for (Replica r : fleet) {
                r.send("go");
            }
            for (Replica r : fleet) {
                r.await("done"::equals, 120);
            }
            // Every guarded call of a replica's own agent completed (4 threads x CALLS).
            for (Replica r : fleet) {
                assertThat(r.count("ok ")).as("%s completed calls; denials: %s", r.id, ids(r, "denied ")).isEqualTo(THREADS * CALLS);
            }
            // Each shared envelope (one sender, sequences 1..n, raced by 12 threads in 3 JVMs) was accepted
            // by at most one replica; wherever it was not accepted it was refused as a replay.
            int accepted = 0;
            for (int i = 0; i < ENVELOPES; i++) {
                int allows = 0;
                for (Replica r : fleet) {
                    allows += r.lines.contains("env " + i + " allow") ? 1 : 0;
                    assertThat(r.lines.contains("env " + i + " allow") || r.lines.contains("env " + i + " deny replay"))
                            .as("envelope %d at %s", i, r.id).isTrue();
                }
                assertThat(allows).as("replicas that accepted envelope %d", i).isLessThanOrEqualTo(1);
                accepted += allows;
            }
            assertThat(accepted).isPositive();
            // A message one replica signed and accepted is refused as a replay by the others.
            for (Replica signer : fleet) {
                String own = signer.await(l -> l.startsWith("own "), 5).substring(4);
                for (Replica other : fleet) {
                    if (other != signer) {
                        int before = (int) other.count("replayed ");
                        other.send("replay " + own);
                        other.await(l -> other.count("replayed ") > before, 30);
                        assertThat(ids(other, "replayed ").get(before)).isEqualTo("replay");
                    }
                }
            }
            for (Replica r : fleet) {
                r.quit();
            }
        } finally {
            for (Replica r : fleet) {
                r.close();
            }
        }
        // Nothing accepted is missing from the audit: every completed call has its allow and its outcome.
        Map<String, Set<String>> allows = audited(db, false);
        Map<String, Set<String>> outcomes = audited(db, true);
        for (Replica r : fleet) {
            assertThat(allows.get(r.id)).containsAll(ids(r, "ok "));
            assertThat(outcomes.get(r.id)).containsAll(ids(r, "ok "));
        }
        FleetVerification v = verify(db, true);
        assertThat(v.replicas()).containsOnlyKeys("r1", "r2", "r3");
        assertThat(v.isIntact()).as("%s", v).isTrue();

        // An operator edits one row and deletes another by hand with psql: both are found.
        db.psql("UPDATE moat_audit_entries SET line = replace(line, 'tool://analyze', 'tool://analyzf') WHERE replica = 'r2' AND idx = 5");
        db.psql("DELETE FROM moat_audit_entries WHERE replica = 'r3' AND idx = 7");
        FleetVerification tampered = verify(db, true);
        assertThat(tampered.isIntact()).isFalse();
        assertThat(tampered.replicas().get("r1").isIntact()).isTrue();
        assertThat(tampered.replicas().get("r2")).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.HASH_MISMATCH);
            assertThat(b.breakage().index()).isEqualTo(5);
        });
        assertThat(tampered.replicas().get("r3")).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.INDEX_GAP);
            assertThat(b.breakage().index()).isEqualTo(7);
        });
    }

    @Test
    void aReplicaKilledMidCallsLosesNoAcceptedDecisionAndResumesItsChain() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        Path env = envelopes();
        List<String> acked;
        try (Replica r = new Replica(db, "r1", THREADS, 0, env, dir)) {
            r.await("ready"::equals, 90);
            r.send("go");
            r.await(l -> r.count("ok ") >= 60, 90);
            r.kill(); // SIGKILL in the middle of calls
            acked = ids(r, "ok ");
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(60);
        assertThat(audited(db, false).get("r1")).as("allowed decisions in the audit").containsAll(acked);
        assertThat(audited(db, true).get("r1")).as("tool outcomes in the audit").containsAll(acked);
        assertThat(verify(db, false).isIntact()).isTrue();
        // The same replica id starts again (its lock died with the session) and continues its chain.
        try (Replica again = new Replica(db, "r1", 2, 5, env, dir)) {
            again.await("ready"::equals, 90);
            again.send("go");
            again.await("done"::equals, 60);
            assertThat(again.count("ok ")).isEqualTo(10);
            again.quit();
        }
        FleetVerification v = verify(db, true);
        assertThat(v.isIntact()).as("%s", v).isTrue();
        assertThat(v.entries()).isGreaterThan(2L * acked.size());
    }
}
