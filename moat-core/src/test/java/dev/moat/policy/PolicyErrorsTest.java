package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Policy errors read as plain words at the right {@code file:line:column}, with the YAML field path
 * as written and a "did you mean" for a mistyped key or agent; never a Java class, a record
 * component name or a Jackson phrase.
 */
@Timeout(30)
class PolicyErrorsTest {
    static final Path FILE = Path.of("moat.yaml");
    /** A valid start of a policy (two agents, one root), six lines: what a test adds starts at line 7. */
    static final String HEAD = """
            version: 1
            id: p
            agents:
              - {name: owner, key: k/owner.key}
              - {name: assistant, key: k/assistant.key}
            trusted_roots: [owner]
            """;

    private static PolicyException error(String yaml) {
        PolicyException e = catchThrowableOfType(PolicyException.class,
                () -> MoatPolicy.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("no error for:\n%s", yaml).isNotNull();
        assertThat(e.getMessage()).doesNotContain("dev.moat", "java.", "class", "Jackson", "creator", "`", "PolicyDocument",
                "rateLimit", "validFor", "token", "Unrecognized");
        return e;
    }

    @Test
    void anUnknownKeySaysSoWithDidYouMeanAndTheKeysThatExist() {
        PolicyException e = error(HEAD + "router:\n  rate_limt: 5\n");
        assertThat(e.getMessage()).isEqualTo("moat.yaml:8:3: router.rate_limt: unknown key 'rate_limt' (did you mean 'rate_limit'?);"
                + " the keys of router are max_age, max_body_bytes, max_future_skew, rate_limit, rate_window");
        assertThat(e.field()).isEqualTo("router.rate_limt");
        assertThat(e.location()).isEqualTo("moat.yaml:8:3");
        assertThat(error(HEAD + "grant:\n  - {}\n").getMessage()).startsWith("moat.yaml:7:1: grant: unknown key 'grant' (did you mean 'grants'?)");
        assertThat(error(HEAD + "colour: red\n").getMessage()).startsWith("moat.yaml:7:1: colour: unknown key 'colour';")
                .doesNotContain("did you mean");
    }

    @Test
    void aMissingRequiredKeyNamesItAsWrittenAtItsItem() {
        PolicyException e = error(HEAD + "grants:\n  - issuer: owner\n    subject: assistant\n    allow: [{resource: 'tool://x', actions: [read]}]\n");
        assertThat(e.getMessage()).isEqualTo("moat.yaml:8:5: grants[0]: missing required key 'valid_for'");
        assertThat(error("id: p\n").getMessage()).isEqualTo("moat.yaml: missing required key 'version'");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpectedAndFound() {
        assertThat(error(HEAD + "router:\n  rate_limit: fast\n").getMessage())
                .isEqualTo("moat.yaml:8:3: router.rate_limit: expected a whole number, found 'fast'");
        assertThat(error(HEAD + "grants:\n  - issuer: owner\n    subject: assistant\n    allow: {resource: x}\n    valid_for: 1h\n").getMessage())
                .isEqualTo("moat.yaml:10:5: grants[0].allow: expected a list, found a mapping");
        assertThat(error(HEAD.replace("trusted_roots: [owner]", "trusted_roots: owner")).getMessage())
                .isEqualTo("moat.yaml:6:1: trusted_roots: expected a list, found text");
        assertThat(error(HEAD + "router: [1, 2]\n").getMessage()).isEqualTo("moat.yaml:7:1: router: expected a mapping (key: value), found a list");
    }

    @Test
    void syntaxAndDuplicateKeysArePositioned() {
        assertThat(error(HEAD + "router:\n  rate_limit: 5\n  rate_limit: 6\n").getMessage())
                .startsWith("moat.yaml:9:").contains("duplicate key 'rate_limit'");
        assertThat(error(HEAD + "router: {rate_limit: 5\n").getMessage()).startsWith("moat.yaml:").contains("invalid YAML");
        assertThat(error("- just\n- a list\n").getMessage()).contains("must be a mapping");
    }

    @Test
    void validationErrorsArePositionedAndSuggestDeclaredAgents() {
        PolicyException e = error(HEAD + "grants:\n  - {issuer: owner, subject: asistant, allow: [{resource: 'tool://x', actions: [read]}], valid_for: 1h}\n");
        assertThat(e.getMessage()).isEqualTo("moat.yaml:8:21: grants[0].subject: 'asistant' is not a declared agent (did you mean 'assistant'?)");
        assertThat(error(HEAD.replace("trusted_roots: [owner]", "trusted_roots: [ownr]")).getMessage())
                .isEqualTo("moat.yaml:6:17: trusted_roots[0]: 'ownr' is not a declared agent (did you mean 'owner'?)");
        assertThat(error(HEAD + "grants:\n  - {issuer: owner, subject: assistant, allow: [{resource: 'tool://x', actions: [read]}], valid_for: soon}\n")
                .getMessage()).startsWith("moat.yaml:8:91: grants[0].valid_for: invalid duration 'soon'");
    }

    @Test
    void suggestionsAreOnlyForPlausibleTypos() {
        assertThat(Suggestions.closest("rate_limt", java.util.List.of("rate_limit", "rate_window"))).contains("rate_limit");
        assertThat(Suggestions.closest("vaild_for", java.util.List.of("valid_for"))).contains("valid_for");
        assertThat(Suggestions.closest("x", java.util.List.of("grants"))).isEmpty();
        assertThat(Suggestions.closest("zzzzzzz", java.util.List.of("grants"))).isEmpty();
    }
}
