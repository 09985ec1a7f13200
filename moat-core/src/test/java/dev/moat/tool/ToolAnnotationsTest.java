package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.check.Failure;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The framework-neutral annotation reader: parameter rules, collection elements, {@code at} paths, method-level {@code @Rule}s. */
@Timeout(30)
class ToolAnnotationsTest {
    @SuppressWarnings("unused")
    static final class Tools {
        @MoatTool(resource = "tool://mail/send", action = "send")
        @Rule(path = "recipient", oneOf = {"partner@partner.com"}, whenPath = "type", whenEquals = "external")
        public void send(@OneOf({"internal", "external"}) @Required String type, String recipient,
                         @OneOf(value = {"f-1"}, at = "[*].file_id") List<Object> attachments,
                         @HostIn("example.com") List<String> links, @Nullable @MaxLength(5) String subject) {}

        public void pay(@Range(min = "0.01", max = "100") @Budget(total = "150", per = "agent") java.math.BigDecimal amount) {}

        public void typo(@OneOf("x") String a) {}

        public void badRange(@Range(min = "ten") long n) {}
    }

    private static Method method(String name) {
        return Arrays.stream(Tools.class.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    private static ToolPolicy policy(String name, Set<String> offered) {
        return ToolAnnotations.policy(name, method(name), Parameter::getName, Path.of("/ws"), offered);
    }

    private static Failure check(ToolPolicy p, String json) {
        return p.checkArguments(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parameterAndMethodRulesBecomeOnePolicy() {
        ToolPolicy p = policy("send", null);
        assertThat(p.resource()).isEqualTo("tool://mail/send");
        assertThat(p.action()).isEqualTo("send");
        assertThat(p.arguments()).extracting(r -> r.path().text())
                .containsExactly("type", "type", "attachments[*].file_id", "links[*]", "subject", "recipient");
        assertThat(check(p, "{\"type\":\"internal\",\"recipient\":\"x@y\",\"attachments\":[{\"file_id\":\"f-1\"}],"
                + "\"links\":[\"https://example.com\"],\"subject\":null}")).isNull();
        assertThat(check(p, "{\"type\":\"external\",\"recipient\":\"x@y\"}")).isNotNull();
        assertThat(check(p, "{\"type\":\"external\",\"recipient\":\"partner@partner.com\"}")).isNull();
        assertThat(check(p, "{\"type\":\"internal\",\"attachments\":[{\"file_id\":\"f-2\"}]}").detail())
                .contains("attachments[0].file_id");
        assertThat(check(p, "{\"type\":\"internal\",\"links\":\"https://example.com\"}").detail()).contains("must be an array");
        assertThat(check(p, "{\"recipient\":\"x\"}").detail()).contains("argument 'type' is required");
        assertThat(check(p, "{\"type\":\"internal\",\"subject\":\"toolong\"}")).isNotNull();
    }

    @Test
    void numberRulesAndBudgetsFromAnnotations() {
        ToolPolicy p = policy("pay", null);
        assertThat(check(p, "{\"amount\":1E+2}")).isNull();
        assertThat(check(p, "{\"amount\":100.01}")).isNotNull();
        assertThat(p.hasBudgets()).isTrue();
    }

    @Test
    void misconfigurationIsLoud() {
        assertThatThrownBy(() -> policy("typo", Set.of("b"))).isInstanceOf(MoatException.class)
                .hasMessageContaining("'a' is not an argument the model supplies");
        assertThatThrownBy(() -> policy("badRange", null)).isInstanceOf(MoatException.class)
                .hasMessageContaining("tool 'badRange': min: 'ten' is not a number");
        assertThat(ToolAnnotations.annotated(method("send"))).isTrue();
        assertThat(ToolAnnotations.annotated(method("pay"))).isTrue();
    }
}
