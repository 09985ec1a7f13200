package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.SandboxProvider;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.SandboxSection;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How the core finds this module: the service registration, a policy's sandbox: section, the default. */
@Timeout(60)
class SandboxPolicyTest {
    private static final byte[] ARGS = json("{\"name\":\"moat\",\"tags\":[\"a\",\"b\"],\"n\":3}");
    private static final String POLICY = """
            version: 1
            id: skills
            agents:
              - name: admin
                key: keys/admin.key
              - name: skill-user
                key: keys/skill-user.key
            trusted_roots: [admin]
            grants:
              - issuer: admin
                subject: skill-user
                allow:
                  - resource: "tool://skills/*"
                    actions: [execute]
                limits:
                  fuel: 50000000
                valid_for: 1h
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void keys() {
        KeyFiles.savePrivate(AgentKeypair.generate("admin"), dir.resolve("keys/admin.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("skill-user"), dir.resolve("keys/skill-user.key"));
    }

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("moat.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private static ToolCall skillCall(String agent) {
        return ToolCall.builder(agent, "tool://skills/json", "execute").arguments(ARGS).sandbox(load("json_transform")).build();
    }

    @Test
    void thisModuleIsTheRegisteredProvider() {
        assertThat(SandboxProvider.find()).get().isInstanceOf(SandboxService.class);
    }

    @Test
    void theSectionsSettingsConfigureTheSandbox() throws Exception {
        SandboxSection section = MoatPolicy.load(write(POLICY + "sandbox: {mode: interpreter, memory_bytes: 1048576, wall_time: 1s}\n"))
                .document().sandbox();
        SandboxConfig config = SandboxService.configure(section).build().config();
        assertThat(config.mode()).isEqualTo(ExecutionMode.INTERPRETER);
        assertThat(config.defaultMemoryBytes()).isEqualTo(1048576L);
        assertThat(config.defaultWallTime()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPolicysSandboxSectionIsTheSandboxItsGuardRunsToolsIn() throws Exception {
        // the skill's output is longer than the policy's cap: the policy's sandbox, not a default one, ran it
        try (Moat moat = Moat.fromPolicy(write(POLICY + "sandbox: {max_output_bytes: 8}\n"))) {
            GuardedCall<byte[]> r = moat.guard().call(skillCall("skill-user"));
            assertThat(r).isInstanceOf(GuardedCall.Failed.class);
            assertThat(((SandboxStoppedException) ((GuardedCall.Failed<byte[]>) r).error()).code())
                    .isEqualTo(SandboxFailure.OUTPUT_LIMIT.code());
        }
        try (Moat moat = Moat.fromPolicy(write(POLICY))) {
            GuardedCall<byte[]> r = moat.guard().call(skillCall("skill-user"));
            assertThat(r).isInstanceOf(GuardedCall.Completed.class);
        }
    }

    @Test
    void invalidSandboxSettingsRefuseToStart() throws Exception {
        Path file = write(POLICY + "sandbox: {memory_bytes: 10}\n");
        assertThatThrownBy(() -> Moat.fromPolicy(file)).isInstanceOf(MoatException.class);
    }

    @Test
    void withoutAConfiguredSandboxTheGuardUsesThisModulesDefault() {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair user = AgentKeypair.generate("skill-user");
        TokenChain cap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://skills/**", "execute").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(user.id()).allow("tool://skills/*", "execute").validFor(Duration.ofMinutes(10)).build());
        try (Moat moat = Moat.builder().agent(root).agent(user).trustRoot("root").capability("skill-user", cap)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("moat-audit")).open()).build()) {
            assertThat(moat.guard().sandboxAvailable()).isTrue();
            GuardedCall<byte[]> r = moat.guard().call(skillCall("skill-user"));
            assertThat(text(((GuardedCall.Completed<byte[]>) r).value())).contains("\"NAME\":\"MOAT\"");
        }
    }
}
