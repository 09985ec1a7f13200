package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.moat.Moat;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import dev.moat.policy.StoreSection;
import dev.moat.store.StoreProviders;
import dev.moat.store.Stores;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The policy's {@code store:} section through core's SPI, and the stores under {@code Moat.builder()}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PostgresStoreProviderTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static StoreSection section(PgServer.Db db, String replica) {
        return new StoreSection("postgres", db.url(), db.user(), JsonNodeFactory.instance.objectNode().put("env", "FLEET_PG_PASSWORD"),
                replica, 4, "2s", "3s", null);
    }

    @Test
    void theSpiFindsThePostgresProviderAndTwoReplicasShareReplayRateAndAudit() {
        PgServer.Db db = PG.freshDatabase();
        Map<String, String> env = Map.of("FLEET_PG_PASSWORD", db.password());
        Stores a = StoreProviders.open(section(db, "api-1"), env::get);
        Stores b = StoreProviders.open(section(db, "api-2"), env::get);
        assertThat(a).isInstanceOf(PostgresStores.class);
        try (Moat m1 = Fleet.moat(a, "api-1", "worker", 3); Moat m2 = Fleet.moat(b, "api-2", "worker", 3)) {
            ToolCall call = ToolCall.builder("worker", Fleet.RESOURCE, "read").arguments("{\"n\":1}").build();
            assertThat(m1.guard().call(call, () -> "ok")).isInstanceOf(GuardedCall.Completed.class);
            assertThat(m2.guard().call(call, () -> "ok")).isInstanceOf(GuardedCall.Completed.class);

            // A message accepted by one replica is a replay at the other.
            MessageSigner signer = new MessageSigner(Fleet.key("worker"), Fleet.chain(Fleet.key("root"), Fleet.key("worker")), Fleet.AUDIENCE);
            MessageEnvelope env1 = signer.sign(dev.moat.guard.Guard.RECIPIENT, Fleet.RESOURCE, "read", new byte[0], m1.pep().activePolicy());
            assertThat(m1.pep().evaluate(env1.encode())).isInstanceOf(Decision.Allow.class);
            Decision replayed = m2.pep().evaluate(env1.encode());
            assertThat(replayed).isInstanceOfSatisfying(Decision.Deny.class, d -> assertThat(d.code()).isEqualTo(ReasonCode.REPLAY));

            // The rate window (3 per minute) is shared: 3 admissions so far across both replicas.
            GuardedCall<String> fourth = m2.guard().call(call, () -> "ok");
            assertThat(fourth).isInstanceOfSatisfying(GuardedCall.Denied.class,
                    d -> assertThat(d.decision().code()).isEqualTo(ReasonCode.RATE_LIMITED));
        }
        // Moat.close() closed the stores and their pools; the fleet's audit verifies with a checkpoint at each head.
        try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
            FleetVerification fleet = FleetAuditVerifier.verify(v.dataSource(), Map.of(), true);
            assertThat(fleet.replicas()).containsOnlyKeys("api-1", "api-2");
            assertThat(fleet.isIntact()).as("%s", fleet).isTrue();
        }
    }

    @Test
    void anUnsetPasswordVariableIsAClearError() {
        PgServer.Db db = PG.freshDatabase();
        assertThatThrownBy(() -> StoreProviders.open(section(db, "api-1"), name -> null))
                .isInstanceOfSatisfying(PostgresStoreException.class, e -> assertThat(e.kind()).isEqualTo(PostgresStoreException.Kind.BAD_CONFIG))
                .hasMessage("store: password: environment variable FLEET_PG_PASSWORD is not set");
    }
}
