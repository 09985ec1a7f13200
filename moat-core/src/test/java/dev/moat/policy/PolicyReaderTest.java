package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The policy reader's value rules beyond PolicyErrorsTest: text that spells a number fills a number
 * field, a scalar fills a text field; a fraction never fills a whole-number field, a number never
 * fills a true/false field, an out-of-range number is refused, nesting is bounded, the free-form
 * fields keep their structure; empty and non-mapping files are refused.
 */
@Timeout(30)
class PolicyReaderTest {
    private static final Path FILE = PolicyErrorsTest.FILE;
    private static final String HEAD = PolicyErrorsTest.HEAD;

    private static MoatPolicy parse(String yaml) {
        return MoatPolicy.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String yaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> parse(yaml));
        assertThat(e).as("no error for:\n%s", yaml).isNotNull();
        return e.getMessage();
    }

    @Test
    void textSpellingANumberFillsANumberFieldAndScalarsFillTextFields() {
        PolicyDocument d = parse(HEAD + "router: {rate_limit: '5'}\naudit: {path: 2026}\n").document();
        assertThat(d.router().rateLimit()).isEqualTo(5);
        assertThat(d.audit().path()).isEqualTo("2026");
        assertThat(d.version()).isEqualTo(1);
    }

    @Test
    void fractionsOutOfRangeNumbersAndNonBooleansAreRefused() {
        assertThat(error(HEAD + "router: {rate_limit: 5.5}\n"))
                .isEqualTo("moat.yaml:7:10: router.rate_limit: expected a whole number, found a decimal number");
        assertThat(error(HEAD + "router: {rate_limit: 99999999999}\n"))
                .isEqualTo("moat.yaml:7:10: router.rate_limit: expected a whole number, found '99999999999'");
        assertThat(error(HEAD + "denials: {detailed: 1}\n"))
                .isEqualTo("moat.yaml:7:11: denials.detailed: expected true or false, found a whole number");
        assertThat(error(HEAD + "router: {rate_limit: [1]}\n"))
                .isEqualTo("moat.yaml:7:10: router.rate_limit: expected a whole number, found a list");
    }

    @Test
    void nestingIsBoundedAndTheFileMustBeAMapping() {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThat(error(HEAD + "monitor: {state_machine: " + deep + "}\n")).contains("nested deeper than 64 levels");
        assertThat(error("- a\n- b\n")).isEqualTo("moat.yaml:1:1: the policy must be a mapping of keys (version: 1, id: ...)");
        assertThat(error("")).isEqualTo("moat.yaml: empty policy");
        assertThat(error(HEAD + "id: q\n")).contains("duplicate key 'id'");
    }

    @Test
    void theFreeFormFieldsKeepTheirStructure() {
        PolicyDocument d = parse(HEAD + "store: {kind: postgres, url: 'jdbc:postgresql://h/db', password: {env: PGPASS}}\n").document();
        assertThat(d.store().password().path("env").asText()).isEqualTo("PGPASS");
    }
}
