package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moat policy check} is a dry start: each broken policy (missing key file, a key of another
 * agent, a broadening delegation, an unknown key, a value of the wrong type) exits 1 naming
 * file:line:column and the field in plain words; a good one writes nothing. {@code moat policy
 * explain} answers allowed or denied with the grant and rule, decided by the guard's own code.
 */
@Timeout(120)
class PolicyCommandsTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            id: explain-me
            home: .moat
            agents:
              - {name: owner, key: keys/owner.key}
              - {name: assistant, key: keys/assistant.key}
              - {name: helper, key: keys/helper.key}
            trusted_roots: [owner]
            grants:
              - issuer: owner
                subject: assistant
                allow:
                  - {resource: "tool://inbox/**", actions: [read]}
                  - {resource: "tool://send_email", actions: [execute]}
                deny:
                  - {resource: "tool://inbox/admin/**", actions: ["*"]}
                valid_for: 1h
              - issuer: assistant
                subject: helper
                allow:
                  - {resource: "tool://inbox/shared/**", actions: [read]}
                valid_for: 30m
            """;

    @BeforeEach
    void keys() {
        for (String n : new String[] {"owner", "assistant", "helper"}) {
            KeyFiles.savePrivate(AgentKeypair.generate(n), dir.resolve("keys/" + n + ".key"));
        }
    }

    private CliRun check(String yaml) throws Exception {
        Files.writeString(dir.resolve("moat.yaml"), yaml);
        return CliRun.in(dir, "policy", "check", "moat.yaml");
    }

    private static void assertInvalid(CliRun r, String... parts) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.err()).as(r.toString()).startsWith("moat: invalid policy: ").contains(parts)
                .doesNotContain("dev.moat", "Exception", "class ", "creator", "`");
    }

    @Test
    void aGoodPolicyIsDryStartedAndNothingIsWritten() throws Exception {
        CliRun r = check(POLICY);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("valid moat.yaml", "dry start", "grants 2 issued and delegated",
                "assistant holds a verified capability until", "helper holds a verified capability until");
        assertThat(dir.resolve(".moat")).doesNotExist(); // no home, audit key, replay store or lock made
        CliRun json = CliRun.in(dir, "policy", "check", "moat.yaml", "--json");
        assertThat(json.json().path("capabilities").size()).isEqualTo(2);
    }

    @Test
    void aMissingKeyFileIsNamedAtItsAgent() throws Exception {
        Files.delete(dir.resolve("keys/helper.key"));
        assertInvalid(check(POLICY), "moat.yaml:7:20: agents[2].key: key file ", "keys/helper.key does not exist",
                "moat identity generate --name helper");
    }

    @Test
    void aKeyOfAnotherAgentIsRefused() throws Exception {
        assertInvalid(check(POLICY.replace("{name: helper, key: keys/helper.key}", "{name: helper, key: keys/assistant.key}")),
                "moat.yaml:7:20: agents[2].key: agent 'helper': key file belongs to 'assistant'");
    }

    @Test
    void aBroadeningDelegationNamesTheGrantAndTheRule() throws Exception {
        CliRun r = check(POLICY.replace("tool://inbox/shared/**\", actions: [read]", "tool://inbox/shared/**\", actions: [read, delete]"));
        assertInvalid(r, "moat.yaml:18:5: grants[1] (assistant -> helper): the delegation is broader than the capability 'assistant' holds",
                "attenuation rule 'actions' violated");
        CliRun json = CliRun.in(dir, "policy", "check", "moat.yaml", "--json");
        assertThat(json.reason()).isEqualTo("invalid_policy");
    }

    @Test
    void anUnknownKeySuggestsTheRightOne() throws Exception {
        CliRun r = check(POLICY.replace("valid_for: 30m", "valid_fro: 30m"));
        assertInvalid(r, "moat.yaml:22:5: grants[1].valid_fro: unknown key 'valid_fro' (did you mean 'valid_for'?)");
        CliRun json = CliRun.in(dir, "policy", "check", "moat.yaml", "--json");
        assertThat(json.json().path("field").asText()).isEqualTo("grants[1].valid_fro");
        assertThat(json.json().path("location").asText()).isEqualTo(dir.resolve("moat.yaml") + ":22:5");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() throws Exception {
        assertInvalid(check(POLICY + "router: {rate_limit: lots}\n"),
                "moat.yaml:23:10: router.rate_limit: expected a whole number, found 'lots'");
        assertInvalid(check(POLICY.replace("trusted_roots: [owner]", "trusted_roots: {owner: yes}")),
                "moat.yaml:8:1: trusted_roots: expected a list, found a mapping");
    }

    private CliRun explain(String... args) throws Exception {
        Files.writeString(dir.resolve("moat.yaml"), POLICY);
        String[] all = new String[args.length + 2];
        all[0] = "policy";
        all[1] = "explain";
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.in(dir, all);
    }

    @Test
    void explainNamesTheGrantAndRuleOfAnAllowedCall() throws Exception {
        CliRun r = explain("--agent", "assistant", "--tool", "send_email", "--args", "{\"to\": \"bob@example.com\"}");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("allowed assistant  execute tool://send_email",
                "grant  grants[0]  moat.yaml:10:5", "rule   grants[0].allow[1]  moat.yaml:14:9");
        CliRun read = explain("--agent", "helper", "--resource", "tool://inbox/shared/a", "--action", "read", "--json");
        assertThat(read.exit()).as(read.toString()).isZero();
        assertThat(read.json().path("allowed").asBoolean()).isTrue();
        assertThat(read.json().path("grant").asText()).isEqualTo("grants[1]");
        assertThat(read.json().path("rule").asText()).isEqualTo("grants[1].allow[0]");
    }

    /** --tool goes through the policy's tools: entry: its resource, and its argument rules after the PEP's allow. */
    @Test
    void explainMapsTheToolThroughTheToolsSection() throws Exception {
        Files.writeString(dir.resolve("moat.yaml"), POLICY + """
                tools:
                  mail:
                    resource: tool://send_email
                    arguments:
                      - {path: to, matches: '[^@]+@example\\.com'}
                """);
        CliRun ok = CliRun.in(dir, "policy", "explain", "--agent", "assistant", "--tool", "mail", "--args", "{\"to\":\"bob@example.com\"}");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("allowed assistant  execute tool://send_email", "tool   mail -> execute tool://send_email  tools.mail  moat.yaml:24:3",
                "rule   grants[0].allow[1]");
        CliRun bad = CliRun.in(dir, "policy", "explain", "--agent", "assistant", "--tool", "mail", "--args", "{\"to\":\"eve@evil.example\"}", "--json");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(bad.json().path("stage").asText()).isEqualTo("guard");
        assertThat(bad.json().path("reason").asText()).isEqualTo("argument_rejected");
        assertThat(bad.json().path("toolEntry").asText()).isEqualTo("tools.mail");
        CliRun unmapped = CliRun.in(dir, "policy", "explain", "--agent", "assistant", "--tool", "send_email");
        assertThat(unmapped.exit()).isZero();
        assertThat(unmapped.out()).contains("(no tools: entry: the safe default)");
    }

    @Test
    void explainShowsWhyACallIsDenied() throws Exception {
        CliRun denied = explain("--agent", "helper", "--resource", "tool://inbox/admin/keys", "--action", "read");
        assertThat(denied.exit()).as(denied.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(denied.out()).contains("denied  helper  read tool://inbox/admin/keys", "capability/explicitly_denied",
                "rule   grants[0].deny[0]  moat.yaml:16:9");
        CliRun notGranted = explain("--agent", "assistant", "--tool", "delete_everything", "--json");
        assertThat(notGranted.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(notGranted.json().path("reason").asText()).isEqualTo("not_granted");
        assertThat(notGranted.json().path("stage").asText()).isEqualTo("capability");
        assertThat(notGranted.json().path("grant").asText()).isEqualTo("grants[0]");
        CliRun unknown = explain("--agent", "nobody", "--tool", "x");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(unknown.out()).contains("unknown_sender");
        assertThat(explain("--agent", "assistant", "--tool", "x", "--args", "[1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(explain("--agent", "assistant").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(dir.resolve(".moat")).doesNotExist();
    }
}
