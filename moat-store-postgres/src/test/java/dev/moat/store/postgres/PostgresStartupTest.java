package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.audit.AuditException;
import dev.moat.audit.AuditLog;
import java.net.ServerSocket;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clear start-up errors: configuration, connection, credentials, database, schema versions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresStartupTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static PostgresStoreException.Kind failureOf(PostgresConfig config) {
        try (PostgresStores s = PostgresStores.open(config)) {
            throw new AssertionError("opened " + s);
        } catch (PostgresStoreException e) {
            assertThat(e.getMessage()).startsWith("store: ");
            return e.kind();
        }
    }

    @Test
    void aUrlThatIsNotPostgresOrCarriesCredentialsIsRefused() {
        assertThatThrownBy(() -> PostgresConfig.builder("jdbc:mysql://127.0.0.1/moat").build())
                .isInstanceOfSatisfying(PostgresStoreException.class, e -> assertThat(e.kind()).isEqualTo(PostgresStoreException.Kind.BAD_CONFIG))
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> PostgresConfig.builder("jdbc:postgresql://127.0.0.1/moat?password=hunter2").build())
                .hasMessageContaining("must not carry credentials").hasMessageNotContaining("hunter2");
    }

    @Test
    void nothingListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresConfig c = PostgresConfig.builder("jdbc:postgresql://127.0.0.1:" + port + "/moat").user("moat").password("x").build();
        assertThat(failureOf(c)).isEqualTo(PostgresStoreException.Kind.UNREACHABLE);
    }

    @Test
    void aWrongPasswordIsBadCredentialsAndIsNeverRepeated() {
        PgServer.Db db = PG.freshDatabase();
        PostgresConfig c = PostgresConfig.builder(db.url()).user(db.user()).password("wrong-password-123").build();
        assertThatThrownBy(() -> PostgresStores.open(c))
                .isInstanceOfSatisfying(PostgresStoreException.class, e -> assertThat(e.kind()).isEqualTo(PostgresStoreException.Kind.BAD_CREDENTIALS))
                .hasMessageContaining("refused the credentials of user '" + db.user() + "'")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void aMissingDatabaseIsNamed() {
        PgServer.Db db = PG.freshDatabase();
        String url = db.url().substring(0, db.url().lastIndexOf('/') + 1) + "no_such_db";
        assertThat(failureOf(PostgresConfig.builder(url).user(db.user()).password(db.password()).build()))
                .isEqualTo(PostgresStoreException.Kind.NO_DATABASE);
    }

    @Test
    void moatTablesWithoutASchemaVersionAreRefused() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        db.psql("CREATE TABLE moat_sequences (sender text PRIMARY KEY, seq bigint)");
        assertThat(failureOf(db.config("r1").build())).isEqualTo(PostgresStoreException.Kind.SCHEMA_VERSION_MISSING);
    }

    @Test
    void aNewerSchemaIsRefusedAndAChangedOneIsUnknown() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        try (PostgresStores s = PostgresStores.open(db.config("r1").build())) {
            assertThat(s.database().migration()).isEqualTo(new Migrations.Result(0, Migrations.currentVersion()));
        }
        db.psql("INSERT INTO moat_schema_version (version, name, sha256) VALUES (" + (Migrations.currentVersion() + 1) + ", 'V99__future.sql', 'x')");
        assertThat(failureOf(db.config("r1").build())).isEqualTo(PostgresStoreException.Kind.SCHEMA_NEWER);
        db.psql("DELETE FROM moat_schema_version WHERE version = " + (Migrations.currentVersion() + 1) + "; UPDATE moat_schema_version SET sha256 = 'edited' WHERE version = 1");
        assertThat(failureOf(db.config("r1").build())).isEqualTo(PostgresStoreException.Kind.SCHEMA_UNKNOWN);
    }

    @Test
    void anOlderSchemaIsBroughtForwardOnce() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        try (Connection c = db.connect()) {
            assertThat(Migrations.apply(c, 1)).isEqualTo(new Migrations.Result(0, 1));
        }
        assertThat(db.psql("SELECT to_regclass('moat_rate_windows') IS NULL")).isEqualTo("t");
        try (PostgresStores s = PostgresStores.open(db.config("r1").build())) {
            assertThat(s.database().migration()).isEqualTo(new Migrations.Result(1, Migrations.currentVersion()));
        }
        try (PostgresStores s = PostgresStores.open(db.config("r1").build())) {
            assertThat(s.database().migration().upgraded()).isFalse();
        }
        assertThat(db.psql("SELECT string_agg(version::text, ',' ORDER BY version) FROM moat_schema_version")).isEqualTo("1,2,3");
    }

    @Test
    void aReplicaIdIsOpenInOneProcessAtATime() {
        PgServer.Db db = PG.freshDatabase();
        try (PostgresStores a = PostgresStores.open(db.config("r1").build());
             PostgresStores b = PostgresStores.open(db.config("r1").build());
             AuditLog log = AuditLog.builder(a.auditStore(), Fleet.key("audit-r1")).open()) {
            assertThatThrownBy(() -> AuditLog.builder(b.auditStore(), Fleet.key("audit-r1")).open())
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.kind()).isEqualTo(AuditException.Kind.STORE_FAILED))
                    .hasMessageContaining("replica 'r1' is open in another process");
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void aChainCutBelowItsLastCheckpointIsNotExtended() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        try (PostgresStores s = PostgresStores.open(db.config("r1").build());
             AuditLog log = AuditLog.builder(s.auditStore(), Fleet.key("audit-r1")).open()) {
            for (int i = 0; i < 6; i++) {
                log.append(new dev.moat.audit.AuditEvent.Lifecycle(dev.moat.audit.AuditEvent.Lifecycle.Kind.CONFIG, "e" + i, null));
            }
        } // closing signs a checkpoint over 6 entries
        db.psql("DELETE FROM moat_audit_entries WHERE replica = 'r1' AND idx >= 4");
        try (PostgresStores s = PostgresStores.open(db.config("r1").build())) {
            assertThatThrownBy(() -> AuditLog.builder(s.auditStore(), Fleet.key("audit-r1")).open())
                    .isInstanceOfSatisfying(AuditException.class, e -> {
                        assertThat(e.kind()).isEqualTo(AuditException.Kind.CORRUPT);
                        assertThat(e.breakage().kind()).isEqualTo(dev.moat.audit.AuditBreak.Kind.TRUNCATED);
                    })
                    .hasMessageContaining("a checkpoint covers 6 entries, the chain has 4");
        }
        assertThat(db.psql("SELECT count(*) FROM moat_audit_entries")).as("nothing was appended").isEqualTo("4");
    }
}
