package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The guard's sandbox path: limits come from the verified token, every run is audited. */
@Timeout(60)
class GuardSandboxTest {
    private static final byte[] ARGS = json("{\"name\":\"moat\",\"tags\":[\"a\",\"b\\\"c\"],\"n\":3}");

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair skillUser = AgentKeypair.generate("skill-user");
    private final InMemoryAuditStore store = new InMemoryAuditStore();

    private Moat moat() {
        TokenChain rootCap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://skills/**", "execute")
                .limits(ResourceLimits.builder().maxFuel(50_000_000L).maxMemoryBytes(32L << 20).maxWallTime(Duration.ofSeconds(5)).build())
                .validFor(Duration.ofHours(1)).build());
        TokenChain cap = rootCap.delegate(root, Grant.to(skillUser.id()).allow("tool://skills/*", "execute")
                .limits(ResourceLimits.builder().maxFuel(2_000_000L).maxMemoryBytes(4L << 20).maxWallTime(Duration.ofSeconds(2)).build())
                .validFor(Duration.ofMinutes(10)).build());
        return Moat.builder().agent(root).agent(skillUser).trustRoot("root").capability("skill-user", cap)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open())
                .sandbox(Sandbox.builder().build())
                .build();
    }

    @Test
    void anAllowedSkillRunsAndItsRunIsAudited() {
        try (Moat moat = moat()) {
            GuardedCall<byte[]> r = moat.guard().call(ToolCall.builder("skill-user", "tool://skills/json", "execute").arguments(ARGS).sandbox(load("json_transform")).build());
            assertThat(r).isInstanceOf(GuardedCall.Completed.class);
            assertThat(text(((GuardedCall.Completed<byte[]>) r).value())).contains("\"NAME\":\"MOAT\"");
        }
        AuditEvent.SandboxRun run = store.entries().stream().map(e -> e.event())
                .filter(AuditEvent.SandboxRun.class::isInstance).map(AuditEvent.SandboxRun.class::cast).findFirst().orElseThrow();
        assertThat(run.moduleSha256()).isEqualTo(load("json_transform").sha256());
        assertThat(run.fuelUsed()).isPositive();
        assertThat(run.exit()).isZero();
    }

    @Test
    void theTokensFuelLimitStopsAnInfiniteLoop() {
        try (Moat moat = moat()) {
            GuardedCall<byte[]> r = moat.guard().call(ToolCall.builder("skill-user", "tool://skills/loop", "execute").arguments(json("{}")).sandbox(load("infinite_loop")).build());
            assertThat(r).isInstanceOf(GuardedCall.Failed.class);
            SandboxStoppedException e = (SandboxStoppedException) ((GuardedCall.Failed<byte[]>) r).error();
            assertThat(e.code()).isEqualTo(SandboxFailure.FUEL_EXHAUSTED.code());
            assertThat(e.reasonCode()).isEqualTo(ReasonCode.SANDBOX_LIMIT);
        }
        assertThat(store.entries()).extracting(en -> en.event()).filteredOn(AuditEvent.SandboxRun.class::isInstance).hasSize(1);
    }

    @Test
    void theTokensMemoryLimitStopsAMemoryBomb() {
        try (Moat moat = moat()) {
            GuardedCall<byte[]> r = moat.guard().call(ToolCall.builder("skill-user", "tool://skills/bomb", "execute").arguments(json("{}")).sandbox(load("memory_bomb")).build());
            SandboxStoppedException e = (SandboxStoppedException) ((GuardedCall.Failed<byte[]>) r).error();
            assertThat(e.code()).isEqualTo(SandboxFailure.MEMORY_LIMIT.code());
        }
    }

    @Test
    void aDeniedCallNeverReachesTheSandbox() {
        try (Moat moat = moat()) {
            GuardedCall<byte[]> r = moat.guard().call(ToolCall.builder("skill-user", "tool://other", "execute").arguments(ARGS).sandbox(load("json_transform")).build());
            assertThat(r).isInstanceOf(GuardedCall.Denied.class);
        }
        assertThat(store.entries()).extracting(en -> en.event()).noneMatch(AuditEvent.SandboxRun.class::isInstance);
    }
}
