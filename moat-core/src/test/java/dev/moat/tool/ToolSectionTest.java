package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The policy file's top-level {@code tools:} section: keys, globs, defaults, and errors in plain words with the key path. */
@Timeout(30)
class ToolSectionTest {
    private static final Path FILE = Path.of("/srv/app/moat.yaml");
    private static final String BASE = """
            version: 1
            id: tools
            agents:
              - {name: owner, key: keys/owner.key}
            trusted_roots: [owner]
            secrets:
              - {name: smtp, env: SMTP_PASSWORD, agents: [owner]}
            """;

    private static MoatPolicy parse(String tools) {
        return MoatPolicy.parse(FILE, (BASE + tools).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void entriesGiveResourceActionApprovalSecretsAndRules() {
        ToolRules rules = ToolRules.fromPolicy(parse("""
                tools:
                  send_mail:
                    resource: tool://mail/send
                    action: send
                    approval: true
                    secrets: [smtp]
                    arguments:
                      - {path: "to[*]", matches: "[^@]+@example\\\\.com"}
                      - {path: recipient, one_of: [a@partner.com], when: {path: type, equals: external}}
                  "mcp/files/*":
                    arguments: [{path: path, path_under: workspace}]
                  "mcp/**": {}
                """));
        ToolPolicy mail = rules.find("send_mail").orElseThrow();
        assertThat(mail.resource()).isEqualTo("tool://mail/send");
        assertThat(mail.action()).isEqualTo("send");
        assertThat(mail.approvalRequired()).isTrue();
        assertThat(mail.secrets()).containsExactly("smtp");
        assertThat(mail.arguments()).hasSize(2);
        assertThat(mail.arguments().get(1).when()).isNotNull();

        ToolPolicy read = rules.policyFor("mcp/files/read_file", null);
        assertThat(read.tool()).isEqualTo("mcp/files/read_file");
        assertThat(read.resource()).isEqualTo("tool://mcp/files/read_file");
        assertThat(read.arguments()).singleElement().satisfies(p -> assertThat(p.rules().get(0).toString())
                .contains(Path.of("/srv/app/workspace").toString()));
        // first matching glob in file order wins; the catch-all has no rules
        assertThat(rules.policyFor("mcp/mail/send", null).arguments()).isEmpty();
        assertThat(rules.find("mcp/files/sub/deeper")).hasValueSatisfying(p -> assertThat(p.arguments()).isEmpty());
    }

    @Test
    void aToolNoEntryNamesGetsTheSafeDefault() {
        ToolRules rules = ToolRules.fromPolicy(parse("tools:\n  known: {}\n"));
        assertThat(rules.find("unknown")).isEmpty();
        ToolPolicy p = rules.policyFor("read_file", "tool://mcp/a/read_file");
        assertThat(p.resource()).isEqualTo("tool://mcp/a/read_file");
        assertThat(p.action()).isEqualTo("execute");
        assertThat(p.arguments()).isEmpty();
        assertThat(p.approvalRequired()).isFalse();
    }

    @Test
    void errorsArePlainWordsWithTheKeyPath() {
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: amount, min: ten}]\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("tools.pay.arguments[0]: min: 'ten' is not a number");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: amount}]\n"))
                .hasMessageContaining("tools.pay.arguments[0]: give at least one rule");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: \"a[0]\", required: true}]\n"))
                .hasMessageContaining("tools.pay.arguments[0]: path 'a[0]'");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, matches: \"(\"}]\n"))
                .hasMessageContaining("tools.pay.arguments[0]: matches: not a valid regular expression");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, host_in: [\"https://x.com\"]}]\n"))
                .hasMessageContaining("host_in: 'https://x.com' is not a host name");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, budget: {total: 5, per: week}}]\n"))
                .hasMessageContaining("budget per must be conversation, capability or agent");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, absent: true, one_of: [x]}]\n"))
                .hasMessageContaining("absent cannot be combined");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, min: 5, max: 1}]\n"))
                .hasMessageContaining("min must not be above max");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, one_of: [x], when: {path: \"b[*]\", equals: y}}]\n"))
                .hasMessageContaining("when.path 'b[*]' must name one value");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    secrets: [nope]\n"))
                .hasMessageContaining("tools.pay.secrets: 'nope' is not declared");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    resource: \"tool://../x\"\n"))
                .hasMessageContaining("tools.pay.resource: not a valid resource");
        assertThatThrownBy(() -> parse("tools:\n  \"mcp/*\":\n    resource: \"tool://x\"\n"))
                .hasMessageContaining("a glob entry");
        assertThatThrownBy(() -> parse("tools:\n  \"mcp/**/x\": {}\n"))
                .hasMessageContaining("tools.mcp/**/x: not a tool name or glob");
        assertThatThrownBy(() -> parse("tools:\n  \"read_*\": {}\n"))
                .hasMessageContaining("not a tool name or glob");
        assertThatThrownBy(() -> parse("tools:\n  pay:\n    arguments: [{path: a, one_of: [x], colour: red}]\n"))
                .hasMessageContaining("colour");
    }

    @Test
    void aDuplicateToolKeyIsRefused() {
        assertThatThrownBy(() -> parse("tools:\n  pay: {}\n  pay: {}\n")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("pay");
    }
}
