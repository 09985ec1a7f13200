package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.pep.Decision;
import dev.moat.token.AttenuationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MoatPolicyTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            id: support-bot
            agents:
              - name: admin
                key: keys/admin.key
              - name: assistant
                key: keys/assistant.key
            trusted_roots: [admin]
            grants:
              - issuer: admin
                subject: assistant
                allow:
                  - resource: "tool://inbox/**"
                    actions: [read]
                  - resource: "tool://send_email"
                    actions: [execute]
                deny:
                  - resource: "tool://inbox/admin/**"
                    actions: ["*"]
                limits:
                  fuel: 1000000
                  wall_time: 2s
                valid_for: 1h
            router:
              rate_limit: 50
              rate_window: 1s
            audit:
              durability: every_entry
              checkpoint_every: 10
            """;

    @BeforeEach
    void keys() {
        KeyFiles.savePrivate(AgentKeypair.generate("admin"), dir.resolve("keys/admin.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
    }

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("moat.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void aPolicyFileStartsAWorkingMoat() throws Exception {
        MoatPolicy policy = MoatPolicy.load(write(POLICY));
        assertThat(policy.binding().policyId()).isEqualTo("support-bot");
        try (Moat moat = PolicyRuntime.start(policy)) {
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
            Decision d = moat.guard().check(ToolCall.builder("assistant", "tool://inbox/admin/keys", "read").build());
            assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.EXPLICITLY_DENIED);
            Decision unknown = moat.guard().check(ToolCall.builder("nobody", "tool://inbox/today", "read").build());
            assertThat(((Decision.Deny) unknown).code()).isEqualTo(ReasonCode.UNKNOWN_SENDER);
        }
        Path log = dir.resolve(".moat/audit.jsonl");
        assertThat(AuditVerifier.forFile(log).publicKey(KeyFiles.loadPublic(dir.resolve(".moat/keys/moat-audit.key")).publicKey())
                .build().verify()).isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void theBindingChangesWithAnyByteOfTheFile() throws Exception {
        PolicyBinding a = MoatPolicy.load(write(POLICY)).binding();
        PolicyBinding b = MoatPolicy.load(write(POLICY.replace("rate_limit: 50", "rate_limit: 51"))).binding();
        assertThat(a.matches(b)).isFalse();
    }

    @Test
    void anUnknownKeyIsAnErrorWithItsPosition() throws Exception {
        Path p = write(POLICY.replace("  rate_limit: 50", "  rate_limt: 50"));
        assertThatThrownBy(() -> MoatPolicy.load(p)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("moat.yaml:").hasMessageContaining("rate_limt");
    }

    @Test
    void badValuesAreClearErrors() throws Exception {
        Path badDuration = write(POLICY.replace("valid_for: 1h", "valid_for: forever"));
        assertThatThrownBy(() -> MoatPolicy.load(badDuration)).isInstanceOf(PolicyException.class).hasMessageContaining("grants[0]");
        Path badRoot = write(POLICY.replace("trusted_roots: [admin]", "trusted_roots: [mallory]"));
        assertThatThrownBy(() -> MoatPolicy.load(badRoot)).isInstanceOf(PolicyException.class).hasMessageContaining("trusted_roots");
        Path traversal = write(POLICY.replace("tool://inbox/**", "tool://inbox/../**"));
        assertThatThrownBy(() -> MoatPolicy.load(traversal)).isInstanceOf(PolicyException.class);
        Path duplicate = write(POLICY.replace("id: support-bot", "id: support-bot\nid: other"));
        assertThatThrownBy(() -> MoatPolicy.load(duplicate)).isInstanceOf(PolicyException.class);
    }

    @Test
    void theAuditArgumentsModeIsReadValidatedAndApplied() throws Exception {
        Path bad = write(POLICY.replace("checkpoint_every: 10", "checkpoint_every: 10\n  arguments: everything"));
        assertThatThrownBy(() -> MoatPolicy.load(bad)).isInstanceOf(PolicyException.class).hasMessageContaining("audit.arguments");
        try (Moat moat = PolicyRuntime.start(MoatPolicy.load(write(POLICY.replace("checkpoint_every: 10", "checkpoint_every: 10\n  arguments: full"))))) {
            moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").arguments("{\"folder\":\"work\"}").build());
        }
        assertThat(Files.readString(dir.resolve(".moat/audit.jsonl"))).contains("\"arguments\":\"{\\\"folder\\\":\\\"work\\\"}\"");
        try (Moat moat = PolicyRuntime.start(MoatPolicy.load(write(POLICY)))) { // default: hash
            moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").arguments("{\"folder\":\"private\"}").build());
        }
        assertThat(Files.readString(dir.resolve(".moat/audit.jsonl"))).doesNotContain("private").contains("payloadSha256");
    }

    @Test
    void aStartRefusedForAnUnreadableHomeTrustStoreReleasesTheHomeForTheNextStart() throws Exception {
        Path policy = write(POLICY);
        dev.moat.identity.HomeFolder.prepare(dir.resolve(".moat"));
        Files.writeString(dir.resolve(".moat/trusted_roots.json"), "not json");
        assertThatThrownBy(() -> PolicyRuntime.start(MoatPolicy.load(policy))).isInstanceOf(dev.moat.home.HomeException.class)
                .hasMessageContaining("trusted_roots.json");
        Files.delete(dir.resolve(".moat/trusted_roots.json"));
        try (Moat moat = PolicyRuntime.start(MoatPolicy.load(policy))) {
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
        }
    }

    @Test
    void aBroadeningGrantChainIsRefusedAtStartup() throws Exception {
        KeyFiles.savePrivate(AgentKeypair.generate("helper"), dir.resolve("keys/helper.key"));
        Path p = write(POLICY.replace("trusted_roots: [admin]", "  - name: helper\n    key: keys/helper.key\ntrusted_roots: [admin]")
                .replace("router:", """
                  - issuer: assistant
                    subject: helper
                    allow:
                      - resource: "tool://send_email"
                        actions: [execute, delete]
                    valid_for: 10m
                router:"""));
        MoatPolicy policy = MoatPolicy.load(p);
        assertThatThrownBy(() -> PolicyRuntime.start(policy)).isInstanceOf(AttenuationException.class)
                .satisfies(e -> assertThat(((AttenuationException) e).rule()).isEqualTo("actions"));
    }

    @Test
    void monitorAndSecretSectionsAreLoadedAndEnforced() throws Exception {
        Files.writeString(dir.resolve("smtp.secret"), "hunter2-not-for-models");
        String yaml = POLICY + """
                monitor:
                  kinds: {"tool://send_email": network}
                  rates:
                    - {id: mail-burst, per: agent, max: 2, window: 1m, action: block, kind: network}
                secrets:
                  - {name: smtp-password, file: smtp.secret, hosts: [smtp.example.com], agents: [assistant]}
                """;
        try (Moat moat = Moat.fromPolicy(write(yaml))) {
            assertThat(moat.secrets()).isPresent();
            var assistant = moat.registry().findByName("assistant").orElseThrow().id();
            assertThat(moat.secrets().orElseThrow().issue(assistant, dev.moat.secrets.SecretName.of("smtp-password")).isOk()).isTrue();
            var admin = moat.registry().findByName("admin").orElseThrow().id();
            assertThat(moat.secrets().orElseThrow().issue(admin, dev.moat.secrets.SecretName.of("smtp-password")).isOk()).isFalse();
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://send_email", "execute").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://send_email", "execute").build()).allowed()).isTrue();
            Decision third = moat.guard().check(ToolCall.builder("assistant", "tool://send_email", "execute").build());
            assertThat(((Decision.Deny) third).code()).isEqualTo(ReasonCode.MONITOR_BLOCKED);
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
        }
    }

    @Test
    void aCustomStateMachineFromThePolicyBlocksAnIllegalTransition() throws Exception {
        String yaml = POLICY.replace("tool://inbox/**\"\n                    actions: [read]", "tool://inbox/**\"\n                    actions: [read, execute]") + """
                monitor:
                  kinds: {"tool://inbox/**": file, "tool://send_email": network}
                  state_machine:
                    action: block
                    initial: Idle
                    states: [Idle, Reading, Sending]
                    transitions: {Idle: [Reading], Reading: [Reading, Sending], Sending: [Reading]}
                    kinds: {file: Reading, network: Sending}
                """;
        try (Moat moat = Moat.fromPolicy(write(yaml))) {
            Decision first = moat.guard().check(ToolCall.builder("assistant", "tool://send_email", "execute").build());
            assertThat(((Decision.Deny) first).code()).isEqualTo(ReasonCode.MONITOR_BLOCKED); // Idle -> Sending
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://send_email", "execute").build()).allowed()).isTrue();
        }
        Path bad = write(POLICY + "monitor:\n  state_machine: {action: block, initial: Nowhere, states: [Idle], transitions: {}}\n");
        assertThatThrownBy(() -> MoatPolicy.load(bad)).isInstanceOf(PolicyException.class).hasMessageContaining("monitor");
    }

    @Test
    void aBadMonitorSectionIsAClearError() throws Exception {
        Path p = write(POLICY + "monitor:\n  rates:\n    - {id: x, per: planet, max: 2, window: 1m, action: block}\n");
        assertThatThrownBy(() -> MoatPolicy.load(p)).isInstanceOf(PolicyException.class).hasMessageContaining("monitor");
        Path q = write(POLICY + "secrets:\n  - {name: s, agents: [assistant]}\n");
        assertThatThrownBy(() -> MoatPolicy.load(q)).isInstanceOf(PolicyException.class).hasMessageContaining("secrets[0]");
    }

    @Test
    void theSandboxSectionConfiguresWasmTools() throws Exception {
        String yaml = POLICY + """
                sandbox: {mode: interpreter, memory_bytes: 1048576, wall_time: 1s}
                """;
        SandboxSection section = MoatPolicy.load(write(yaml)).document().sandbox();
        assertThat(section.normalizedMode()).isEqualTo("interpreter");
        assertThat(section.wallTimeDuration()).isEqualTo(java.time.Duration.ofSeconds(1));
        assertThat(section.memoryBytes()).isEqualTo(1048576L);
        Path bad = write(POLICY + "sandbox: {mode: native}\n");
        assertThatThrownBy(() -> MoatPolicy.load(bad)).isInstanceOf(PolicyException.class).hasMessageContaining("sandbox");
    }

    @Test
    void aSandboxSectionWithoutTheSandboxModuleRefusesToStart() throws Exception {
        // moat-core's own tests run without moat-sandbox on the class path: fail closed, name the module
        Path file = write(POLICY + "sandbox: {mode: compiled}\n");
        assertThatThrownBy(() -> Moat.fromPolicy(file)).isInstanceOf(dev.moat.MoatException.class)
                .hasMessageContaining("sandbox:").hasMessageContaining("dev.moat:moat-sandbox");
        assertThat(dir.resolve(".moat/audit.jsonl")).doesNotExist();
    }

    @Test
    void aGroupReadableKeyFileIsRefused() throws Exception {
        Files.setPosixFilePermissions(dir.resolve("keys/admin.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        MoatPolicy policy = MoatPolicy.load(write(POLICY));
        assertThatThrownBy(() -> PolicyRuntime.start(policy)).hasMessageContaining("chmod 600");
    }

    /** The bypass: a sequence rule on kinds is blind to a granted tool that monitor.kinds does not classify. */
    @Test
    void sequenceRulesWarnAboutGrantedToolsNoKindClassifies() throws Exception {
        String seq = """
                monitor:
                  kinds: {"tool://send_email": network}
                  sequences:
                    - {id: read-then-send, window: 5m, action: block, steps: [{kind: file}, {kind: network}]}
                """;
        MoatPolicy p = MoatPolicy.load(write(POLICY + seq));
        assertThat(p.warnings()).singleElement().satisfies(w -> assertThat(w).contains("tool://inbox/**").contains("monitor.kinds"));
        MoatPolicy classified = MoatPolicy.load(write(POLICY + seq.replace("{\"tool://send_email\": network}",
                "{\"tool://send_email\": network, \"tool://inbox/**\": file}")));
        assertThat(classified.warnings()).isEmpty();
        assertThat(MoatPolicy.load(write(POLICY)).warnings()).isEmpty();
    }
}
