package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
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
        // the secrets section needs BILLING_TOKEN in the environment; the rest starts as written
        String yaml = Files.readString(SAMPLE);
        yaml = yaml.substring(0, yaml.indexOf("\nsecrets:")) + "\n";
        Path copy = dir.resolve("moat.yaml");
        Files.writeString(copy, yaml);
        dev.moat.identity.HomeFolder.prepare(dir.resolve(".moat")); // what `moat identity generate` does first
        for (String name : new String[] {"owner", "assistant", "summariser"}) {
            KeyFiles.savePrivate(AgentKeypair.generate(name), dir.resolve(".moat/keys/" + name + ".key"));
        }
        try (Moat moat = Moat.fromPolicy(copy)) {
            assertThat(moat.guard().check("assistant", "tool://inbox/today", "read", "{}").allowed()).isTrue();
            assertThat(moat.guard().check("summariser", "tool://inbox/today", "read", "{}").allowed()).isTrue();
            assertThat(moat.guard().check("summariser", "tool://send_email", "execute", "{}").allowed()).isFalse();
            assertThat(moat.guard().check("assistant", "tool://inbox/admin/keys", "read", "{}").allowed()).isFalse();
        }
    }
}
