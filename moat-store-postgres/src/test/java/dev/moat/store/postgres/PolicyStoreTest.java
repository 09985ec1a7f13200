package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.policy.MoatPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A policy file's {@code store: {kind: postgres}} section, started the way an app starts Moat. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyStoreTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    @Test
    void twoInstancesStartedFromOnePolicyShareTheReplayStateAndTheFleetAuditVerifies(@TempDir Path dir) throws Exception {
        PgServer.Db db = PG.freshDatabase();
        KeyFiles.savePrivate(AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
        Path policy = dir.resolve("moat.yaml");
        Files.writeString(policy, """
                version: 1
                id: fleet
                agents:
                  - {name: owner, key: keys/owner.key}
                  - {name: assistant, key: keys/assistant.key}
                trusted_roots: [owner]
                grants:
                  - issuer: owner
                    subject: assistant
                    allow: [{resource: "tool://echo", actions: [execute]}]
                    valid_for: 1h
                store: {kind: postgres, url: "%s", user: %s, password: {env: FLEET_PW}, replica: REPLICA}
                """.formatted(db.url(), db.user()));
        Map<String, String> env = Map.of("FLEET_PW", db.password());
        Files.writeString(policy, Files.readString(policy).replace("REPLICA", "api-1"));
        MoatPolicy one = MoatPolicy.load(policy);
        Path policy2 = dir.resolve("moat2.yaml");
        Files.writeString(policy2, Files.readString(policy).replace("api-1", "api-2"));
        try (Moat a = PolicyRuntime.start(one, Clock.systemUTC(), env::get);
             Moat b = PolicyRuntime.start(MoatPolicy.load(policy2), Clock.systemUTC(), env::get)) {
            ToolCall call = ToolCall.builder("assistant", "tool://echo", "execute").arguments("{\"text\":\"hi\"}").build();
            assertThat(a.guard().call(call, () -> "ok")).isInstanceOf(GuardedCall.Completed.class);
            assertThat(b.guard().call(call, () -> "ok")).isInstanceOf(GuardedCall.Completed.class);
            GuardedCall<String> outside = a.guard().call(ToolCall.builder("assistant", "tool://pay", "execute").build(), () -> "paid");
            assertThat(outside).isInstanceOfSatisfying(GuardedCall.Denied.class,
                    d -> assertThat(d.decision().code()).isEqualTo(ReasonCode.NOT_GRANTED));
            assertThat(Files.exists(dir.resolve(".moat/audit.jsonl"))).as("no local audit file with a shared store").isFalse();
        }
        try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
            FleetVerification fleet = FleetAuditVerifier.verify(v.dataSource(), Map.of(), true);
            assertThat(fleet.replicas()).containsOnlyKeys("api-1", "api-2");
            assertThat(fleet.isIntact()).as("%s", fleet).isTrue();
        }
    }
}
