package dev.moat.langchain4j.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentConstraintTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode v(String json) throws Exception {
        return JSON.readTree(json);
    }

    @TempDir
    Path dir;

    @Test
    void pathInsideTheDirectoryPasses() throws Exception {
        assertThat(ArgumentConstraint.pathUnder(dir).violation(v("\"a/./b.txt\""))).isNull();
    }

    @Test
    void traversalAndAbsolutePathsOutsideAreRefused() throws Exception {
        var rule = ArgumentConstraint.pathUnder(dir);
        assertThat(rule.violation(v("\"../x\""))).contains("leaves");
        assertThat(rule.violation(v("\"a/../../x\""))).contains("leaves");
        assertThat(rule.violation(v("\"/etc/passwd\""))).contains("leaves");
        assertThat(rule.violation(v("\"\""))).isNotNull();
    }

    @Test
    void symbolicLinkOutOfTheDirectoryIsRefused(@TempDir Path outside) throws Exception {
        Path inside = Files.createDirectories(dir.resolve("ws"));
        Files.createSymbolicLink(inside.resolve("link"), outside);

        assertThat(ArgumentConstraint.pathUnder(inside).violation(v("\"link/secret.txt\""))).contains("symbolic link");
    }

    @Test
    void nonStringPathIsRefusedAndArraysAreCheckedPerElement() throws Exception {
        var rule = ArgumentConstraint.pathUnder(dir);
        assertThat(rule.violation(v("42"))).isNotNull();
        assertThat(rule.violation(v("[\"a\",\"../b\"]"))).contains("leaves");
        assertThat(rule.violation(v("{\"p\":\"a\"}"))).isNotNull();
    }

    @Test
    void hostAllowListMatchesExactHostsAndWildcardSubdomainsOnly() throws Exception {
        var rule = ArgumentConstraint.hostIn("api.example.com", "*.acme.test");
        assertThat(rule.violation(v("\"https://API.example.com/v1\""))).isNull();
        assertThat(rule.violation(v("\"https://eu.acme.test/x\""))).isNull();
        assertThat(rule.violation(v("\"https://acme.test/x\""))).contains("not in the allow-list");
        assertThat(rule.violation(v("\"https://api.example.com.evil.io/\""))).contains("not in the allow-list");
        assertThat(rule.violation(v("\"https://evilacme.test/\""))).contains("not in the allow-list");
    }

    @Test
    void userInfoOtherSchemesAndBrokenUrlsAreRefused() throws Exception {
        var rule = ArgumentConstraint.hostIn("api.example.com");
        assertThat(rule.violation(v("\"https://api.example.com@evil.io/\""))).isNotNull();
        assertThat(rule.violation(v("\"https://api.example.com:443@evil.io/\""))).isNotNull();
        assertThat(rule.violation(v("\"file://api.example.com/etc/passwd\""))).contains("http");
        assertThat(rule.violation(v("\"https://evil.io\\\\@api.example.com/\""))).isNotNull();
        assertThat(rule.violation(v("\"https://%61pi.example.com/\""))).isNotNull();
        assertThat(rule.violation(v("\"api.example.com\""))).isNotNull();
    }

    @Test
    void oneOfMaxLengthAndPattern() throws Exception {
        assertThat(ArgumentConstraint.oneOf("EUR", "USD").violation(v("\"EUR\""))).isNull();
        assertThat(ArgumentConstraint.oneOf("EUR", "USD").violation(v("\"eur\""))).contains("must be one of");
        assertThat(ArgumentConstraint.maxLength(3).violation(v("\"äöü\""))).isNull();
        assertThat(ArgumentConstraint.maxLength(3).violation(v("\"abcd\""))).contains("at most 3");
        assertThat(ArgumentConstraint.matches("[a-z]+@acme\\.test").violation(v("\"bob@acme.test\""))).isNull();
        assertThat(ArgumentConstraint.matches("[a-z]+@acme\\.test").violation(v("\"bob@acme.test.evil.io\""))).contains("does not match");
    }
}
