package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.store.postgres.PgServer;
import dev.moat.store.postgres.PostgresStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat audit verify --store postgres}: a real PostgreSQL holding two replicas' chains. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuditVerifyPostgresTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    @TempDir
    Path dir;

    private static void write(PgServer.Db db, String replica, AgentKeypair key, int n) {
        try (PostgresStores s = PostgresStores.open(db.config(replica).build());
             AuditLog log = AuditLog.builder(s.auditStore(), key).checkpointEvery(4).open()) {
            for (int i = 0; i < n; i++) {
                log.append(new AuditEvent.Decision("agent:w", "tool://t/" + i, "invoke", true, "pep3", null, null, "m-" + i, null));
            }
        }
    }

    @Test
    void verifiesEveryReplicaAndNamesAHandEditedRow() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        AgentKeypair k1 = AgentKeypair.generate("audit-api-1");
        write(db, "api-1", k1, 10);
        write(db, "api-2", AgentKeypair.generate("audit-api-2"), 6);
        KeyFiles.savePublic(k1.identity(), dir.resolve("api-1.pub"));
        Map<String, String> env = Map.of("PGPASSWORD", db.password());

        CliRun ok = CliRun.in(dir, env, "audit", "verify", "--store", "postgres", "--url", db.url(), "--user", db.user(),
                "--replica-key", "api-1=api-1.pub", "--strict");
        assertThat(ok.exit()).as("%s", ok).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("intact fleet audit").contains("2 replicas, 16 entries")
                .containsPattern("api-1 +intact, 10 entries, 3 checkpoints, key provided")
                .containsPattern("api-2 +intact, 6 entries, 2 checkpoints, key self-asserted");

        db.psql("UPDATE moat_audit_entries SET line = replace(line, 'tool://t/3', 'tool://t/9') WHERE replica = 'api-1' AND idx = 3");
        CliRun broken = CliRun.in(dir, env, "--json", "audit", "verify", "--store", "postgres", "--url", db.url(), "--user", db.user());
        assertThat(broken.exit()).as("%s", broken).isEqualTo(ExitCodes.DENIED);
        assertThat(broken.json().path("replicas").path("api-1").path("kind").asText()).isEqualTo("hash_mismatch");
        assertThat(broken.json().path("replicas").path("api-1").path("index").asLong()).isEqualTo(3);
        assertThat(broken.json().path("replicas").path("api-2").path("intact").asBoolean()).isTrue();
    }

    @Test
    void aWrongPasswordIsAnIoErrorThatNeverShowsIt() {
        PgServer.Db db = PG.freshDatabase();
        CliRun r = CliRun.in(dir, Map.of("PGPASSWORD", "not-the-password-42"), "audit", "verify", "--store", "postgres",
                "--url", db.url(), "--user", db.user());
        assertThat(r.exit()).isEqualTo(ExitCodes.IO);
        assertThat(r.err()).contains("refused the credentials").doesNotContain("not-the-password-42");
    }
}
