package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas as child JVMs on one database: an agent revoked through one replica's API is
 * refused by the other two a second after the revocation returned, while the others' own agents
 * keep working.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FleetRevocationTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    @TempDir
    Path dir;

    private static String replay(Replica r, String envelope) throws Exception {
        int before = (int) r.count("replayed ");
        r.send("replay " + envelope);
        r.await(l -> r.count("replayed ") > before, 30);
        return r.lines.stream().filter(l -> l.startsWith("replayed ")).skip(before).findFirst().orElseThrow().substring(9);
    }

    private static String probe(Replica r) throws Exception {
        int before = (int) r.count("probe ");
        r.send("probe");
        r.await(l -> r.count("probe ") > before, 30);
        return r.lines.stream().filter(l -> l.startsWith("probe ")).skip(before).findFirst().orElseThrow().substring(6);
    }

    @Test
    void anAgentRevokedThroughOneReplicasApiIsRefusedByTheOthersWithinASecond() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        // Messages of the agent `shared`, signed outside the fleet for the fleet's audience.
        List<String> envelopes = new ArrayList<>();
        for (byte[] e : Fleet.sharedEnvelopes(4, Fleet.POLICY)) {
            envelopes.add(Base64.getEncoder().encodeToString(e));
        }
        Path none = Files.writeString(dir.resolve("none.txt"), "");
        List<Replica> fleet = new ArrayList<>();
        try {
            for (String id : List.of("r1", "r2", "r3")) {
                fleet.add(new Replica(db, id, 1, 1, none, dir));
            }
            for (Replica r : fleet) {
                r.await("ready"::equals, 90);
            }
            Replica r1 = fleet.get(0);
            Replica r2 = fleet.get(1);
            Replica r3 = fleet.get(2);
            assertThat(replay(r2, envelopes.get(0))).as("before the revocation").isEqualTo("allow");
            AgentId shared = Fleet.key("shared").id();
            r1.send("revoke-agent " + shared.value());
            r1.await("revoked true"::equals, 30);
            Thread.sleep(PostgresTrust.MAX_STALENESS.toMillis()); // the bound: from here on every replica refuses
            assertThat(replay(r2, envelopes.get(1))).isEqualTo("revoked");
            assertThat(replay(r3, envelopes.get(2))).isEqualTo("revoked");
            assertThat(replay(r1, envelopes.get(3))).isEqualTo("revoked");
            for (Replica r : fleet) {
                assertThat(probe(r)).as("%s's own agent is not revoked", r.id).isEqualTo("allow");
            }
            for (Replica r : fleet) {
                r.quit();
            }
        } finally {
            for (Replica r : fleet) {
                r.close();
            }
        }
        FleetVerification v;
        try (PostgresDatabase verifier = PostgresDatabase.open(db.config("verifier").build())) {
            v = FleetAuditVerifier.verify(verifier.dataSource(), java.util.Map.of(), true);
        }
        assertThat(v.isIntact()).as("%s", v).isTrue();
    }
}
