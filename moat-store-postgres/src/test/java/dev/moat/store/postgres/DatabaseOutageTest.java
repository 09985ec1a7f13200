package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database stops in the middle of a run: calls are denied (fail closed) and service resumes when it is back. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabaseOutageTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static GuardedCall<String> call(Moat moat, AtomicInteger ran, int k) {
        ToolCall c = ToolCall.builder("worker-r1", Fleet.RESOURCE, "read").arguments("{\"k\":" + k + "}").build();
        return moat.guard().call(c, () -> {
            ran.incrementAndGet();
            return "ok";
        });
    }

    @Test
    void callsAreDeniedWhileTheDatabaseIsDownAndAllowedAgainAfter() throws Exception {
        try (PgServer.Cluster cluster = PG.pausableCluster()) {
            PgServer.Db db = cluster.freshDatabase();
            AtomicInteger ran = new AtomicInteger();
            int deniedCalls = 0;
            try (Moat moat = Fleet.moat(PostgresStores.open(db.config("r1").build()), "r1", "worker-r1", 1_000_000)) {
                for (int k = 0; k < 5; k++) {
                    assertThat(call(moat, ran, k)).isInstanceOf(GuardedCall.Completed.class);
                }
                cluster.pause();
                try {
                    for (int k = 5; k < 8; k++) {
                        GuardedCall<String> r = call(moat, ran, k);
                        assertThat(r).isInstanceOfSatisfying(GuardedCall.Denied.class, d -> {
                            assertThat(d.decision().code()).isEqualTo(ReasonCode.INTERNAL);
                            // the first failure seen may be the server's shutdown itself (57P01/57P03) or the refused connection after it
                            assertThat(d.decision().failure().detail()).containsPattern(
                                    "(replay|audit) store on PostgreSQL unavailable: .*(refused|shutting down|terminating connection)"
                                    + "|revocations unavailable, failing closed: trusted roots and revocations on PostgreSQL");
                        });
                        deniedCalls++;
                    }
                    assertThat(ran.get()).as("no tool ran while the database was down").isEqualTo(5);
                } finally {
                    cluster.resume(); // never leave the shared test server stopped
                }
                GuardedCall<String> back = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int k = 8;
                while (System.nanoTime() < deadline) {
                    back = call(moat, ran, k++);
                    if (back instanceof GuardedCall.Completed) {
                        break;
                    }
                    deniedCalls++;
                    Thread.sleep(200);
                }
                assertThat(back).as("service resumed").isInstanceOf(GuardedCall.Completed.class);
                for (int i = 0; i < 5; i++) {
                    assertThat(call(moat, ran, k++)).isInstanceOf(GuardedCall.Completed.class);
                }
            }
            assertThat(ran.get()).isEqualTo(11);
            // The chain has no hole: the decisions made during the outage were written when it ended.
            try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
                FleetVerification fleet = FleetAuditVerifier.verify(v.dataSource(), Map.of("r1", Fleet.key("audit-r1").publicKey()), true);
                assertThat(fleet.isIntact()).as("%s", fleet).isTrue();
            }
            int denialsAudited = 0;
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT line FROM moat_audit_entries WHERE replica = 'r1'")) {
                while (rs.next()) {
                    if (AuditEntry.fromJsonLine(rs.getString(1)).event() instanceof AuditEvent.Decision d && !d.allowed()) {
                        denialsAudited++;
                    }
                }
            }
            assertThat(denialsAudited).as("denials recorded once the database was back").isGreaterThanOrEqualTo(deniedCalls);
        }
    }
}
