package dev.moat.tool.rule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule kind on single values (moved from moat-langchain4j's ArgumentConstraintTest). */
@org.junit.jupiter.api.Timeout(30)
class ArgumentRuleTest {
    private static Object v(String json) {
        return CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8), JsonLimits.DEFAULT);
    }

    @TempDir
    Path dir;

    @Test
    void pathInsideTheDirectoryPasses() throws Exception {
        assertThat(ArgumentRule.pathUnder(dir).violation(v("\"a/./b.txt\""))).isNull();
    }

    @Test
    void traversalAndAbsolutePathsOutsideAreRefused() throws Exception {
        var rule = ArgumentRule.pathUnder(dir);
        assertThat(rule.violation(v("\"../x\""))).contains("leaves");
        assertThat(rule.violation(v("\"a/../../x\""))).contains("leaves");
        assertThat(rule.violation(v("\"/etc/passwd\""))).contains("leaves");
        assertThat(rule.violation(v("\"\""))).isNotNull();
    }

    @Test
    void symbolicLinkOutOfTheDirectoryIsRefused(@TempDir Path outside) throws Exception {
        Path inside = Files.createDirectories(dir.resolve("ws"));
        Files.createSymbolicLink(inside.resolve("link"), outside);

        assertThat(ArgumentRule.pathUnder(inside).violation(v("\"link/secret.txt\""))).contains("symbolic link");
    }

    @Test
    void nonStringPathsAreRefused() throws Exception {
        var rule = ArgumentRule.pathUnder(dir);
        assertThat(rule.violation(v("42"))).isNotNull();
        assertThat(rule.violation(v("null"))).isNotNull();
        assertThat(rule.violation(v("[\"a\"]"))).contains("not an array");
        assertThat(rule.violation(v("{\"p\":\"a\"}"))).isNotNull();
    }

    @Test
    void arraysAreCheckedPerElementThroughThePath() throws Exception {
        PathRules rules = PathRules.of("paths[*]", ArgumentRule.pathUnder(dir));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> args = (java.util.Map<String, Object>) v("{\"paths\":[\"a\",\"../b\"]}");
        assertThat(rules.violation(args)).contains("argument 'paths[1]'").contains("leaves");
    }

    @Test
    void hostAllowListMatchesExactHostsAndWildcardSubdomainsOnly() throws Exception {
        var rule = ArgumentRule.hostIn("api.example.com", "*.acme.test");
        assertThat(rule.violation(v("\"https://API.example.com/v1\""))).isNull();
        assertThat(rule.violation(v("\"https://eu.acme.test/x\""))).isNull();
        assertThat(rule.violation(v("\"https://acme.test/x\""))).contains("not in the allow-list");
        assertThat(rule.violation(v("\"https://api.example.com.evil.io/\""))).contains("not in the allow-list");
        assertThat(rule.violation(v("\"https://evilacme.test/\""))).contains("not in the allow-list");
    }

    @Test
    void userInfoOtherSchemesAndBrokenUrlsAreRefused() throws Exception {
        var rule = ArgumentRule.hostIn("api.example.com");
        assertThat(rule.violation(v("\"https://api.example.com@evil.io/\""))).isNotNull();
        assertThat(rule.violation(v("\"https://api.example.com:443@evil.io/\""))).isNotNull();
        assertThat(rule.violation(v("\"file://api.example.com/etc/passwd\""))).contains("http");
        assertThat(rule.violation(v("\"https://evil.io\\\\@api.example.com/\""))).isNotNull();
        assertThat(rule.violation(v("\"https://%61pi.example.com/\""))).isNotNull();
        assertThat(rule.violation(v("\"mailto:x@api.example.com\""))).contains("http");
    }

    @Test
    void schemeLessHostsAreReadAsHttps() throws Exception {
        var rule = ArgumentRule.hostIn("api.example.com");
        assertThat(rule.violation(v("\"api.example.com\""))).isNull();
        assertThat(rule.violation(v("\"API.example.com:8443/v1?q=1\""))).isNull();
        assertThat(rule.violation(v("\"api.example.com@evil.io\""))).isNotNull();
        assertThat(rule.violation(v("\"evil.io/api.example.com\""))).contains("not in the allow-list");
        assertThat(rule.violation(v("\"//evil.io\""))).isNotNull();
        assertThat(rule.violation(v("\"api.example.com evil.io\""))).isNotNull();
    }

    @Test
    void numbersCompareByValueInEveryNotation() throws Exception {
        var oneOf = ArgumentRule.oneOf("10", "0.5");
        for (String n : new String[] {"10", "10.0", "1e1", "1E+1", "100e-1", "0.50", "5e-1"}) {
            assertThat(oneOf.violation(v(n))).as(n).isNull();
        }
        assertThat(oneOf.violation(v("\"1E+1\""))).isNotNull();
        assertThat(oneOf.violation(v("11"))).isNotNull();
        var range = ArgumentRule.range("0", "10000");
        assertThat(range.violation(v("10000.0"))).isNull();
        assertThat(range.violation(v("1E+4"))).isNull();
        assertThat(range.violation(v("10000.0000001"))).contains("above");
        assertThat(range.violation(v("-0.0"))).isNull();
        assertThat(range.violation(v("\"5\""))).contains("must be a number");
        assertThat(range.violation(v("1e999999999"))).contains("must be a number");
        assertThat(range.violation(v("true"))).contains("must be a number");
    }

    @Test
    void nullIsAValueEveryRuleJudges() throws Exception {
        for (ArgumentRule rule : new ArgumentRule[] {ArgumentRule.oneOf("a"), ArgumentRule.hostIn("a.com"), ArgumentRule.pathUnder(dir),
                ArgumentRule.maxLength(3), ArgumentRule.matches(".*"), ArgumentRule.range("0", "1"), new ArgumentRule.Required()}) {
            assertThat(rule.violation(null)).as(rule.toString()).isNotNull();
        }
        assertThat(ArgumentRule.noneOf("a").violation(null)).isNull();
    }

    @Test
    void denyListsFoldCaseAndCompatibilityForms() throws Exception {
        var rule = ArgumentRule.noneOf("ceo@example.com");
        assertThat(rule.violation(v("\"CEO@Example.COM\""))).isNotNull();
        assertThat(rule.violation(v("\"\uff43eo@example.com\""))).isNotNull(); // full-width c
        assertThat(rule.violation(v("\"cfo@example.com\""))).isNull();
        assertThat(rule.violation(v("[\"ceo@example.com\"]"))).contains("not an array");
    }

    @Test
    void oneOfMaxLengthAndPattern() throws Exception {
        assertThat(ArgumentRule.oneOf("EUR", "USD").violation(v("\"EUR\""))).isNull();
        assertThat(ArgumentRule.oneOf("EUR", "USD").violation(v("\"eur\""))).contains("must be one of");
        assertThat(ArgumentRule.maxLength(3).violation(v("\"äöü\""))).isNull();
        assertThat(ArgumentRule.maxLength(3).violation(v("\"abcd\""))).contains("at most 3");
        assertThat(ArgumentRule.matches("[a-z]+@acme\\.test").violation(v("\"bob@acme.test\""))).isNull();
        assertThat(ArgumentRule.matches("[a-z]+@acme\\.test").violation(v("\"bob@acme.test.evil.io\""))).contains("does not match");
    }
}
