package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class ResourcePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "tool://*/read, tool://mail/read, true",
        "tool://*/read, tool://calendar/read, true",
        "tool://*/read, tool://mail/write, false",
        "tool://*/read, tool://read, false",
        "tool://*/read, tool://a/b/read, false",
        "tool://*, tool://search, true",
        "tool://*, tool://a/b, false",
        "tool://**, tool://a/b/c, true",
        "tool://**, file:///a, false",
        "file:///data/**, file:///data, true",
        "file:///data/**, file:///data/x, true",
        "file:///data/**, file:///data/x/y/z, true",
        "file:///data/**, file:///database, false",
        "file:///data/**, file:///dat, false",
        "file:///*, file:///etc, true",
        "file://*, file:///etc, false",
        "tool://search, tool://search, true",
        "tool://search, tool://search/x, false",
        "tool://search, tool://searc, false",
        "tool://a/*/c, tool://a/b/c, true",
        "tool://a/*/c, tool://a/b/c/d, false",
        "mcp://srv/**, tool://srv/x, false",
    })
    void matchesSegmentBySegment(String pattern, String resource, boolean expected) {
        assertThat(Resources.isValid(resource)).isTrue();
        assertThat(ResourcePattern.parse(pattern).matches(resource)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tool://a/../b", "tool://./a", "tool://a/.", "tool://a//b", "tool://a/", "file:////etc",
        "tool://a%2Fb", "tool://%2e%2e", "tool://a\\b", "tool://a b", "tool://a\nb", "tool://a\u0000", "tool://*", "tool://**",
        "tool://", "search", "://x", "Tool://x", "", "tool://a\u00a0b", "tool://pay\u200b", "tool://\u202eyap", "tool://a\u2028b"})
    void requestsNotInNormalFormAreInvalid(String resource) {
        assertThat(Resources.isValid(resource)).isFalse();
        assertThat(Resources.check(resource)).isNotNull();
    }

    @Test
    void nullIsInvalid() {
        assertThat(Resources.isValid(null)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tool://a/../b", "tool://a/./b", "tool://a//b", "tool://a%2F*", "tool://a\\*", "tool://**/x",
        "tool://a*", "tool://*a", "tool://***", "x", "tool://"})
    void patternsNotInNormalFormAreRefused(String pattern) {
        assertThatThrownBy(() -> ResourcePattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} covers {1} -> {2}")
    @CsvSource({
        "tool://**, tool://*/read, true",
        "tool://*/read, tool://mail/read, true",
        "tool://mail/read, tool://*/read, false",
        "tool://a/**, tool://a, true",
        "tool://a/**, tool://a/**, true",
        "tool://a/*, tool://a/**, false",
        "tool://*, tool://**, false",
        "tool://*, tool://a/b, false",
        "file:///data/**, file:///data/x/**, true",
        "file:///data/x/**, file:///data/**, false",
        "file://*, file:///x, false",
        "tool://*/read, file:///x/read, false",
        "tool://a/b, tool://a, false",
        "tool://a, tool://a/b, false",
    })
    void coversIsPatternContainment(String broader, String narrower, boolean expected) {
        assertThat(ResourcePattern.parse(broader).covers(ResourcePattern.parse(narrower))).isEqualTo(expected);
    }

    @Test
    void equalityIsByText() {
        assertThat(ResourcePattern.parse("tool://*/read")).isEqualTo(ResourcePattern.parse("tool://*/read"))
                .hasSameHashCodeAs(ResourcePattern.parse("tool://*/read"))
                .isNotEqualTo(ResourcePattern.parse("tool://*/write"));
    }

    @Test
    void lengthAndSegmentCapsApply() {
        assertThat(Resources.isValid("tool://" + "a".repeat(Resources.MAX_LENGTH - 7))).isTrue();
        assertThat(Resources.isValid("tool://" + "a".repeat(Resources.MAX_LENGTH - 6))).isFalse();
        assertThat(Resources.isValid("tool://" + "a/".repeat(Resources.MAX_SEGMENTS - 1) + "a")).isTrue();
        assertThat(Resources.isValid("tool://" + "a/".repeat(Resources.MAX_SEGMENTS) + "a")).isFalse();
    }

    @Test
    void aLoneSurrogateHasNoUtf8FormAndIsNoResource() {
        char high = (char) 0xd83d;
        char low = (char) 0xde00;
        assertThat(Resources.isValid("tool://pay" + high + low)).isTrue(); // a pair is one character
        assertThat(Resources.isValid("tool://pay" + high)).isFalse();
        assertThat(Resources.isValid("tool://" + low + "x")).isFalse();
        assertThat(Resources.isValid("tool://a" + low + high)).isFalse();
        assertThatThrownBy(() -> ResourcePattern.parse("tool://" + high + "/*")).isInstanceOf(IllegalArgumentException.class);
    }
}
