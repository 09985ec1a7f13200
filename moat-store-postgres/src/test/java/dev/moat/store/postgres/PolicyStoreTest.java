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

    @Test
    void replicasSharingTheStoresAudienceAcceptAFleetMessageOnceAndAnotherInstanceRefusesIt(@TempDir Path dir) throws Exception {
        PgServer.Db db = PG.freshDatabase();
        KeyFiles.savePrivate(AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
        AgentKeypair assistant = AgentKeypair.generate("assistant");
        KeyFiles.savePrivate(assistant, dir.resolve("keys/assistant.key"));
        String template = """
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
                store: {kind: postgres, url: "%s", user: %s, password: {env: FLEET_PW} AUDIENCE}
                """.formatted(db.url(), db.user());
        // One policy file for the fleet (the replica name from MOAT_REPLICA), another instance's own file.
        Path fleetPolicy = Files.writeString(dir.resolve("fleet.yaml"), template.replace(" AUDIENCE", ", audience: orders-service"));
        Files.createDirectories(dir.resolve("solo"));
        Files.copy(dir.resolve("keys"), dir.resolve("solo/keys"));
        Files.copy(dir.resolve("keys/owner.key"), dir.resolve("solo/keys/owner.key"));
        Files.copy(dir.resolve("keys/assistant.key"), dir.resolve("solo/keys/assistant.key"));
        Path soloPolicy = Files.writeString(dir.resolve("solo/moat.yaml"), template.replace(" AUDIENCE", ", replica: solo"));
        java.util.function.Function<String, java.util.function.Function<String, String>> env = replica -> name ->
                name.equals("FLEET_PW") ? db.password() : name.equals("MOAT_REPLICA") ? replica : null;
        try (Moat a = PolicyRuntime.start(MoatPolicy.load(fleetPolicy), Clock.systemUTC(), env.apply("api-1"));
             Moat b = PolicyRuntime.start(MoatPolicy.load(fleetPolicy), Clock.systemUTC(), env.apply("api-2"));
             Moat other = PolicyRuntime.start(MoatPolicy.load(soloPolicy), Clock.systemUTC(), env.apply("ignored"))) {
            assertThat(a.pep().audience()).isEqualTo("orders-service").isEqualTo(b.pep().audience());
            assertThat(other.pep().audience()).as("default: the instance's audit key id").startsWith("agent:");
            dev.moat.token.TokenChain chain = a.capabilities().current("assistant").orElseThrow().chain();
            dev.moat.message.MessageSigner signer = new dev.moat.message.MessageSigner(assistant, chain, "orders-service");
            byte[] first = signer.sign(dev.moat.guard.Guard.RECIPIENT, "tool://echo", "execute", new byte[0], a.pep().activePolicy()).encode();
            assertThat(b.pep().evaluate(first)).as("a fleet message at any replica").isInstanceOf(dev.moat.pep.Decision.Allow.class);
            assertThat(a.pep().evaluate(first)).isInstanceOfSatisfying(dev.moat.pep.Decision.Deny.class,
                    d -> assertThat(d.code()).as("accepted once by the fleet").isEqualTo(ReasonCode.REPLAY));
            byte[] second = signer.sign(dev.moat.guard.Guard.RECIPIENT, "tool://echo", "execute", new byte[0], a.pep().activePolicy()).encode();
            assertThat(other.pep().evaluate(second)).isInstanceOfSatisfying(dev.moat.pep.Decision.Deny.class,
                    d -> assertThat(d.code()).as("not for that instance").isEqualTo(ReasonCode.WRONG_AUDIENCE));
            assertThat(a.pep().evaluate(second)).isInstanceOf(dev.moat.pep.Decision.Allow.class);
        }
        try (PostgresDatabase v = PostgresDatabase.open(db.config("verifier").build())) {
            assertThat(FleetAuditVerifier.verify(v.dataSource(), Map.of(), true).replicas()).containsOnlyKeys("api-1", "api-2", "solo");
        }
    }
}
