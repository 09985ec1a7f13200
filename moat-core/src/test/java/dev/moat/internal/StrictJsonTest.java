package dev.moat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.ReasonCode;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class StrictJsonTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ReasonCode code(String json) {
        try {
            StrictJson.parseCanonicalObject(utf8(json), 1024, "t");
            return null;
        } catch (Rejection r) {
            return r.failure().code();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1,\"a\":1}", "{\"a\":1} x", "{\"a\":1.5}", "{\"a\":1e3}", "[1]", "", "{'a':1}", "{\"a\":1,}",
        "{\"a\":NaN}", "{\"a\":01}", "{ \"a\":1}", "{\"b\":1,\"a\":2}", "{\"a\":\"\\u0061\"}", "{\"a\":\"\\/\"}", "{\"a\":-0}",
        "{\"a\":123456789012345678901}", "/*c*/{}"})
    void nonCanonicalOrInvalidJsonIsMalformed(String json) {
        assertThat(code(json)).isEqualTo(ReasonCode.MALFORMED);
    }

    @Test
    void canonicalJsonIsAccepted() {
        assertThat(code("{\"a\":[1,true,null,\"x\"],\"b\":{\"c\":-2},\"d\":\"\\\"\\\\\\u001f\u00e9\"}")).isNull();
    }

    @Test
    void oversizedInputIsRefusedBeforeParsing() {
        assertThat(code("{\"a\":\"" + "x".repeat(2000) + "\"}")).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void deepNestingIsMalformed() {
        assertThatThrownBy(() -> StrictJson.parseObject(utf8("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"), 1 << 20, "t"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.failure().code()).isEqualTo(ReasonCode.MALFORMED));
    }

    @Test
    void anEscapedLoneSurrogateMakesADocumentNonCanonicalNotAnInternalError() {
        byte[] doc = utf8("{\"a\":\"\\ud800\"}");
        assertThatThrownBy(() -> StrictJson.parseCanonicalObject(doc, 1 << 10, "t"))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.failure().code()).isEqualTo(ReasonCode.MALFORMED));
    }

    @Test
    void canonicalEncodingSortsKeysAndEscapesMinimally() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(1L, "\u0001\"\\/é"));
        m.put("a", true);
        assertThat(CanonicalJson.encodeToString(m)).isEqualTo("{\"a\":true,\"z\":[1,\"\\u0001\\\"\\\\/é\"]}");
    }

    @Test
    void timeFormatHasOneTextPerInstant() {
        assertThat(TimeFormat.format(Instant.parse("2026-11-25T10:00:00.000999Z"))).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(TimeFormat.format(Instant.parse("2026-11-25T10:00:00.120Z"))).isEqualTo("2026-11-25T10:00:00.120Z");
        assertThatThrownBy(() -> TimeFormat.parse("2026-11-25T10:00:00.000Z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TimeFormat.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
