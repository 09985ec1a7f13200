package dev.moat.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The encoder's Java-side contract; text-in cases are the shared vectors (spec/vectors/canonical.json). */
@Timeout(30)
class CanonicalJsonTest {

    @Test
    void encodesProtocolValuesAsBefore() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(1L, 2, "\u0001\"\\/\u00e9"));
        m.put("a", true);
        m.put("n", null);
        assertThat(CanonicalJson.encodeToString(m)).isEqualTo("{\"a\":true,\"n\":null,\"z\":[1,2,\"\\u0001\\\"\\\\/\u00e9\"]}");
    }

    @Test
    void aLoneSurrogateInAValueIsRefusedNeverReplaced() {
        for (String s : List.of("\ud800", "\udc00", "a\ud83d", "\ude00\ud83d", "\ud800x")) {
            assertThatThrownBy(() -> CanonicalJson.encode(Map.of("text", s)))
                    .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.LONE_SURROGATE));
        }
    }

    @Test
    void aLoneSurrogateInAKeyIsRefused() {
        assertThatThrownBy(() -> CanonicalJson.encode(Map.of("k\udbff", 1)))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.LONE_SURROGATE));
    }

    @Test
    void aRawLoneSurrogateInJavaStringArgumentsIsRefused() {
        // LangChain4j hands arguments over as a Java string: no UTF-8 step may turn the surrogate into '?'
        assertThatThrownBy(() -> CanonicalJson.canonicaliseObject("{\"to\":\"bob\ud800\"}", JsonLimits.DEFAULT))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.LONE_SURROGATE));
    }

    @Test
    void aSurrogatePairIsFourBytesOfUtf8() {
        assertThat(HexFormat.of().formatHex(CanonicalJson.encode("\ud83d\ude00"))).isEqualTo("22f09f988022");
    }

    @Test
    void keysSortByCodePointWhateverTheMapType() {
        String expected = "{\"a\":1,\"\uff21\":2,\"\ud83d\ude00\":3}";
        Map<String, Object> hash = new HashMap<>(Map.of("\ud83d\ude00", 3, "\uff21", 2, "a", 1));
        Map<String, Object> natural = new TreeMap<>(hash); // String.compareTo puts U+1F600 before U+FF21
        Map<String, Object> reversed = new TreeMap<>(Comparator.<String>reverseOrder());
        reversed.putAll(hash);
        for (Map<String, Object> m : List.of(hash, natural, reversed, new LinkedHashMap<>(reversed))) {
            assertThat(CanonicalJson.encodeToString(m)).as(m.getClass().getSimpleName()).isEqualTo(expected);
        }
    }

    @Test
    void numbersKeepTheirLiteral() {
        List<Object> values = List.of(JsonNumber.of(new BigDecimal("12.50")), new JsonNumber("1e3"), new JsonNumber("-0"),
                BigInteger.TWO.pow(70), Long.MIN_VALUE);
        assertThat(CanonicalJson.encodeToString(values)).isEqualTo("[12.50,1e3,-0,1180591620717411303424,-9223372036854775808]");
    }

    @Test
    void binaryFloatingPointIsRefusedNotRounded() {
        for (Object v : List.of(0.1d, 1.5f, new BigDecimal("1.5"))) {
            assertThatThrownBy(() -> CanonicalJson.encode(List.of(v)))
                    .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.UNSUPPORTED_VALUE));
        }
    }

    @Test
    void nonStringKeysAreRefused() {
        assertThatThrownBy(() -> CanonicalJson.encode(Map.of(1, "x")))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.UNSUPPORTED_VALUE));
    }

    @Test
    void aCycleIsRefusedBeforeTheStackOverflows() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> CanonicalJson.encode(cycle))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.TOO_DEEP));
    }

    @Test
    void textOverTheByteLimitIsRefusedBeforeParsing() {
        JsonLimits small = new JsonLimits(16, 8, 20);
        byte[] big = ("{\"a\":\"" + "x".repeat(20) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CanonicalJson.canonicalise(big, small))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.OVERSIZED));
        assertThatThrownBy(() -> CanonicalJson.canonicalise(new String(big, StandardCharsets.UTF_8), small))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.OVERSIZED));
    }

    @Test
    void aCanonicalFormThatOutgrowsTheLimitIsRefused() {
        // an escaped newline grows from 2 bytes to 6 (the \\u00xx form)
        JsonLimits small = new JsonLimits(20, 8, 20);
        String text = "[\"\\n\\n\\n\\n\"]"; // 12 bytes in, 28 bytes canonical
        assertThatThrownBy(() -> CanonicalJson.canonicalise(text, small))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.OVERSIZED));
        assertThat(CanonicalJson.canonicalise(text, JsonLimits.DEFAULT)).hasSize(28);
    }

    @Test
    void multiByteTextIsMeasuredInBytes() {
        String text = "[\"" + "\u20ac".repeat(10) + "\"]"; // 14 characters, 34 bytes
        assertThatThrownBy(() -> CanonicalJson.canonicalise(text, new JsonLimits(20, 8, 20)))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.OVERSIZED));
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new JsonLimits(0, 8, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonLimits(1024, 257, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsonLimits(1024, 8, 19)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMessageNeverCarriesTheContent() {
        assertThatThrownBy(() -> CanonicalJson.canonicaliseObject("{\"card\":\"4111 1111 1111 1111\",\"card\":1}", JsonLimits.DEFAULT))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> {
                    assertThat(e.problem()).isEqualTo(JsonProblem.DUPLICATE_KEY);
                    assertThat(e.getMessage()).doesNotContain("4111").doesNotContain("card");
                });
    }

    @Test
    void jsonNumberFollowsTheRfcGrammar() {
        for (String ok : List.of("0", "-0", "1", "-12", "1.5", "0.001", "1e5", "1E+5", "1e-5", "-1.5E-10", "123456789012345678901234567890")) {
            assertThat(new JsonNumber(ok).literal()).isEqualTo(ok);
        }
        for (String bad : List.of("", "-", "01", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity", "1 ", " 1", "1_000", "\uff11")) {
            assertThatThrownBy(() -> new JsonNumber(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new JsonNumber("1.50").toBigDecimal()).isEqualByComparingTo("1.5");
        assertThat(new JsonNumber("1.50")).isNotEqualTo(new JsonNumber("1.5"));
    }

    @Test
    void aNonAsciiDigitIsNotAHexDigitInAnEscape() {
        assertThatThrownBy(() -> CanonicalJson.canonicalise("[\"\\u00\uff14\uff11\"]", JsonLimits.DEFAULT))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.INVALID_JSON));
    }
}
