package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.store.postgres.Fleet;
import dev.moat.store.postgres.PgServer;
import dev.moat.store.postgres.PostgresTrust;
import dev.moat.store.postgres.Replica;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moat token revoke --policy moat.yaml}: the CLI reaches the fleet's shared store through
 * the policy's {@code store:} section, and two replicas (child JVMs) refuse the revoked agent a
 * second after the command returned.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TokenRevokeFleetTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    @TempDir
    Path dir;

    private static String probe(Replica r) throws Exception {
        int before = (int) r.lines.stream().filter(l -> l.startsWith("probe ")).count();
        r.send("probe");
        r.await(l -> r.lines.stream().filter(x -> x.startsWith("probe ")).count() > before, 30);
        return r.lines.stream().filter(l -> l.startsWith("probe ")).skip(before).findFirst().orElseThrow().substring(6);
    }

    @Test
    void aRevocationMadeWithTheCliReachesEveryReplicaWithinASecond() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        KeyFiles.savePrivate(AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        Files.writeString(dir.resolve("moat.yaml"), """
                version: 1
                id: fleet
                agents:
                  - {name: owner, key: keys/owner.key}
                trusted_roots: [owner]
                store: {kind: postgres, url: "%s", user: %s, password: {env: FLEET_PW}, replica: cli}
                """.formatted(db.url(), db.user()));
        Path none = Files.writeString(dir.resolve("none.txt"), "");
        List<Replica> fleet = new ArrayList<>();
        try {
            for (String id : List.of("r1", "r2")) {
                fleet.add(new Replica(db, id, 1, 1, none, dir));
            }
            for (Replica r : fleet) {
                r.await("ready"::equals, 90);
                assertThat(probe(r)).isEqualTo("allow");
            }
            String victim = Fleet.key("worker-r2").id().value();
            CliRun noPassword = CliRun.in(dir, Map.of(), "token", "revoke", "--policy", "moat.yaml", "--agent", victim);
            assertThat(noPassword.exit()).as("%s", noPassword).isEqualTo(ExitCodes.IO);
            assertThat(noPassword.err()).contains("FLEET_PW is not set");

            CliRun run = CliRun.in(dir, Map.of("FLEET_PW", db.password()), "--json", "token", "revoke", "--policy", "moat.yaml",
                    "--agent", victim);
            assertThat(run.exit()).as("%s", run).isEqualTo(ExitCodes.OK);
            assertThat(run.json().path("agent").asText()).isEqualTo(victim);
            assertThat(run.json().path("store").asText()).startsWith("postgres store jdbc:postgresql://");
            Thread.sleep(PostgresTrust.MAX_STALENESS.toMillis());
            assertThat(probe(fleet.get(1))).as("the revoked agent, at its own replica").startsWith("revoked ");
            assertThat(probe(fleet.get(0))).as("another agent").isEqualTo("allow");
            for (Replica r : fleet) {
                r.quit();
            }
        } finally {
            for (Replica r : fleet) {
                r.close();
            }
        }
        CliRun withoutStore = CliRun.in(dir, Map.of(), "token", "revoke", "--policy", "none.txt", "--token-id", "x");
        assertThat(withoutStore.exit()).isNotEqualTo(ExitCodes.OK);
    }
}
