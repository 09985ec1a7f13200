package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditVerification;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each replica records the others' heads in its own signed chain, so the fleet's audit verifies as
 * one: a replica cut short with its own checkpoints removed, or deleted whole with {@code psql},
 * is found from another replica's chain.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetHeadsTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static void call(Moat moat, String agent, int k) {
        ToolCall c = ToolCall.builder(agent, Fleet.RESOURCE, "read").arguments("{\"k\":" + k + "}").build();
        assertThat(moat.guard().call(c, () -> "ok")).isInstanceOf(GuardedCall.Completed.class);
    }

    /** The largest count of {@code of}'s chain that {@code writer} recorded, or 0. */
    private static long recorded(PgServer.Db db, String writer, String of) throws Exception {
        long best = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT line FROM moat_audit_entries WHERE replica = '" + writer + "' ORDER BY idx")) {
            while (rs.next()) {
                if (AuditEntry.fromJsonLine(rs.getString(1)).event() instanceof AuditEvent.Lifecycle l
                        && l.kind() == AuditEvent.Lifecycle.Kind.FLEET_HEADS) {
                    FleetHeads.Head h = FleetHeads.decode(l.detail()).get(of);
                    best = h == null ? best : Math.max(best, h.count());
                }
            }
        }
        return best;
    }

    private static FleetVerification verify(PgServer.Db db) {
        try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
            return FleetAuditVerifier.verify(v.dataSource(), Map.of(), false);
        }
    }

    @Test
    void aReplicaCutShortOrDeletedWholeIsFoundFromTheOthersChains() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        try (Moat r1 = Fleet.moat(PostgresStores.open(db.config("r1").build()), "r1", "worker-r1", 1_000_000);
             Moat r2 = Fleet.moat(PostgresStores.open(db.config("r2").build()), "r2", "worker-r2", 1_000_000)) {
            for (int k = 0; k < 12; k++) {
                call(r2, "worker-r2", k); // 1 start + 24 entries
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int k = 0;
            while (recorded(db, "r1", "r2") < 25) { // r1 records only after entries of its own
                assertThat(System.nanoTime()).as("r1 records r2's head").isLessThan(deadline);
                call(r1, "worker-r1", k++);
                Thread.sleep(500);
            }
        }
        FleetVerification intact = verify(db);
        assertThat(intact.isIntact()).as("%s", intact).isTrue();

        // r2's tail deleted together with its own checkpoints: its own chain looks whole, r1's does not agree.
        db.psql("DELETE FROM moat_audit_checkpoints WHERE replica = 'r2'");
        db.psql("DELETE FROM moat_audit_entries WHERE replica = 'r2' AND idx >= 10");
        FleetVerification cut = verify(db);
        assertThat(cut.replicas().get("r1").isIntact()).isTrue();
        assertThat(cut.replicas().get("r2")).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.TRUNCATED);
            assertThat(b.breakage().detail()).contains("chain has 10 entries, but replica r1 recorded");
        });

        // r2 removed whole, its replica row too: found from r1's chain.
        db.psql("DELETE FROM moat_audit_entries WHERE replica = 'r2'; DELETE FROM moat_audit_replicas WHERE replica = 'r2'");
        FleetVerification gone = verify(db);
        assertThat(gone.isIntact()).isFalse();
        assertThat(gone.replicas().get("r2")).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.MISSING);
            assertThat(b.breakage().detail()).contains("no audit chain, but replica r1 recorded");
        });
    }
}
