package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** samples/policy/moat.yaml, the documented example of every section, stays valid and starts. */
@Timeout(60)
class SamplePolicyTest {
    private static final Path SAMPLE = Path.of("../samples/policy/moat.yaml");

    @Test
    void theSamplePolicyIsValid() {
        MoatPolicy policy = MoatPolicy.load(SAMPLE);
        assertThat(policy.binding().policyId()).isEqualTo("support-assistant");
        assertThat(policy.document().grants()).hasSize(2);
        assertThat(policy.document().monitor().toRules().sequences()).hasSize(1);
    }

    @Test
    void theSamplePolicyStartsWithGeneratedKeys(@TempDir Path dir) throws Exception {
        // the secrets section needs BILLING_TOKEN in the environment; its sandbox: section needs
        // moat-sandbox (started as written in that module's SamplePolicySandboxTest): without it
        // the policy refuses to start, and starts once the section is removed
        String yaml = Files.readString(SAMPLE);
        yaml = yaml.substring(0, yaml.indexOf("\nsecrets:")) + "\n";
        dev.moat.identity.HomeFolder.prepare(dir.resolve(".moat")); // what `moat identity generate` does first
        for (String name : new String[] {"owner", "assistant", "summariser"}) {
            KeyFiles.savePrivate(AgentKeypair.generate(name), dir.resolve(".moat/keys/" + name + ".key"));
        }
        Path withSandbox = dir.resolve("with-sandbox.yaml");
        Files.writeString(withSandbox, yaml);
        assertThatThrownBy(() -> Moat.fromPolicy(withSandbox)).isInstanceOf(dev.moat.MoatException.class)
                .hasMessageContaining("dev.moat:moat-sandbox");
        assertThat(yaml).containsOnlyOnce("\nsandbox:");
        Path copy = dir.resolve("moat.yaml");
        Files.writeString(copy, yaml.replaceAll("\nsandbox:[^\n]*", ""));
        try (Moat moat = Moat.fromPolicy(copy)) {
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("summariser", "tool://inbox/today", "read").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("summariser", "tool://send_email", "execute").build()).allowed()).isFalse();
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/admin/keys", "read").build()).allowed()).isFalse();
        }
    }
}
