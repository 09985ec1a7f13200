package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** samples/policy/moat.yaml, sandbox: section included, starts with this module on the class path. */
@Timeout(60)
class SamplePolicySandboxTest {
    private static final Path SAMPLE = Path.of("../samples/policy/moat.yaml");

    @Test
    void theSamplePolicyStartsAsWrittenWithTheSandbox(@TempDir Path dir) throws Exception {
        // the secrets section needs BILLING_TOKEN in the environment; the rest starts as written
        String yaml = Files.readString(SAMPLE);
        yaml = yaml.substring(0, yaml.indexOf("\nsecrets:")) + "\n";
        assertThat(yaml).contains("\nsandbox:");
        Path copy = dir.resolve("moat.yaml");
        Files.writeString(copy, yaml);
        dev.moat.identity.HomeFolder.prepare(dir.resolve(".moat")); // what `moat identity generate` does first
        for (String name : new String[] {"owner", "assistant", "summariser"}) {
            KeyFiles.savePrivate(AgentKeypair.generate(name), dir.resolve(".moat/keys/" + name + ".key"));
        }
        try (Moat moat = Moat.fromPolicy(copy)) {
            assertThat(moat.guard().check(ToolCall.builder("assistant", "tool://inbox/today", "read").build()).allowed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("summariser", "tool://send_email", "execute").build()).allowed()).isFalse();
            assertThat(moat.guard().sandboxAvailable()).isTrue();
            // the assistant's grant names tool://skills/*: its skill runs in the sample's sandbox;
            // the summariser's narrower grant does not, so its call never reaches the sandbox
            GuardedCall<byte[]> ran = moat.guard().call(ToolCall.builder("assistant", "tool://skills/json", "execute")
                    .arguments(json("{\"name\":\"moat\"}")).sandbox(load("json_transform")).build());
            assertThat(ran).isInstanceOf(GuardedCall.Completed.class);
            assertThat(text(((GuardedCall.Completed<byte[]>) ran).value())).contains("\"NAME\":\"MOAT\"");
            GuardedCall<byte[]> denied = moat.guard().call(ToolCall.builder("summariser", "tool://skills/json", "execute")
                    .arguments(json("{}")).sandbox(load("json_transform")).build());
            assertThat(denied).isInstanceOf(GuardedCall.Denied.class);
        }
    }
}
