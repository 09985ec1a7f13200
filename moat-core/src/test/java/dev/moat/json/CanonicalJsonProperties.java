package dev.moat.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the one canonical encoder: every spelling of a document canonicalises to the same
 * bytes, the canonical form is a fixed point, it is strict UTF-8 that an independent parser reads
 * back to the same strings and number values, and a lone surrogate is always refused.
 */
class CanonicalJsonProperties {
    private static final JsonMapper JACKSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    @Provide
    Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0x1f)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xd7ff)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xe000, 0xffff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoint.list().ofMaxSize(12).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    @Provide
    Arbitrary<JsonNumber> number() {
        Arbitrary<String> intPart = Arbitraries.oneOf(Arbitraries.just("0"),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(0).ofMaxLength(25).map(d -> (char) ('1' + d.length() % 9) + d));
        Arbitrary<String> frac = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withCharRange('0', '9').ofMinLength(1).ofMaxLength(20).map(d -> "." + d));
        Arbitrary<String> exp = Arbitraries.oneOf(Arbitraries.just(""),
                Combinators.combine(Arbitraries.of("e", "E"), Arbitraries.of("", "+", "-"), Arbitraries.integers().between(0, 400))
                        .as((e, sign, n) -> e + sign + n));
        return Combinators.combine(Arbitraries.of("", "-"), intPart, frac, exp).as((s, i, f, e) -> new JsonNumber(s + i + f + e));
    }

    @Provide
    Arbitrary<Object> value() {
        return Arbitraries.lazyOf(
                () -> text().map(s -> (Object) s),
                () -> number().map(n -> (Object) n),
                () -> Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b),
                () -> Arbitraries.just((Object) null),
                () -> Arbitraries.longs().map(l -> (Object) l),
                () -> value().list().ofMaxSize(4).map(l -> (Object) l),
                () -> Arbitraries.maps(text(), value()).ofMaxSize(4).map(m -> (Object) m));
    }

    @Property(tries = 500)
    void everySpellingOfADocumentCanonicalisesToTheSameBytes(@ForAll("value") Object value, @ForAll long seed) {
        byte[] canonical = CanonicalJson.encode(value);
        String spelled = spell(value, new Random(seed));
        assertThat(CanonicalJson.canonicalise(spelled, JsonLimits.DEFAULT)).isEqualTo(canonical);
        assertThat(CanonicalJson.canonicalise(spelled.getBytes(StandardCharsets.UTF_8), JsonLimits.DEFAULT)).isEqualTo(canonical);
    }

    @Property(tries = 500)
    void theCanonicalFormIsAFixedPoint(@ForAll("value") Object value) {
        byte[] canonical = CanonicalJson.encode(value);
        assertThat(CanonicalJson.canonicalise(canonical, JsonLimits.DEFAULT)).isEqualTo(canonical);
    }

    @Property(tries = 500)
    void anIndependentParserReadsBackTheSameStringsAndNumberValues(@ForAll("value") Object value) throws Exception {
        byte[] canonical = CanonicalJson.encode(value);
        String strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(canonical)).toString();
        assertThat(strict.chars().filter(c -> c < 0x20)).as("no raw control character").isEmpty();
        assertSame(value, JACKSON.readTree(canonical));
    }

    @Property(tries = 300)
    void objectMembersAppearInUtf8ByteOrder(@ForAll("keys") List<String> keys) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, 0L));
        List<byte[]> written = new ArrayList<>();
        JACKSON.readTree(CanonicalJson.encode(m)).fieldNames().forEachRemaining(k -> written.add(k.getBytes(StandardCharsets.UTF_8)));
        for (int i = 1; i < written.size(); i++) {
            assertThat(Arrays.compareUnsigned(written.get(i - 1), written.get(i))).isNegative();
        }
        assertThat(written).hasSize(m.size());
    }

    @Provide
    Arbitrary<List<String>> keys() {
        return text().list().ofMaxSize(8);
    }

    @Property(tries = 300)
    void aLoneSurrogateAnywhereIsRefusedNeverReplaced(@ForAll("value") Object value, @ForAll("text") String around,
                                                     @ForAll("loneSurrogate") char lone, @ForAll boolean inKey) {
        String bad = around.substring(0, around.length() / 2) + lone + around.substring(around.length() / 2);
        Object doc = inKey ? Map.of(bad, Arrays.asList(value)) : Arrays.asList(value, bad);
        assertThatThrownBy(() -> CanonicalJson.encode(doc))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.LONE_SURROGATE));
        String escaped = inKey ? "{\"" + escapeAll(bad) + "\":1}" : "[\"" + escapeAll(bad) + "\"]";
        assertThatThrownBy(() -> CanonicalJson.canonicalise(escaped, JsonLimits.DEFAULT))
                .isInstanceOfSatisfying(CanonicalJsonException.class, e -> assertThat(e.problem()).isEqualTo(JsonProblem.LONE_SURROGATE));
    }

    @Provide
    Arbitrary<Character> loneSurrogate() {
        return Arbitraries.chars().range('\ud800', '\udfff');
    }

    /** Writes {@code v} as valid JSON with random whitespace, member order and escapes. */
    static String spell(Object v, Random r) {
        StringBuilder sb = new StringBuilder();
        spell(v, r, sb);
        return ws(r) + sb + ws(r);
    }

    private static void spell(Object v, Random r, StringBuilder sb) {
        if (v instanceof Map<?, ?> m) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            java.util.Collections.shuffle(entries, r);
            sb.append('{').append(ws(r));
            for (Iterator<Map.Entry<?, ?>> it = entries.iterator(); it.hasNext(); ) {
                Map.Entry<?, ?> e = it.next();
                string((String) e.getKey(), r, sb);
                sb.append(ws(r)).append(':').append(ws(r));
                spell(e.getValue(), r, sb);
                sb.append(ws(r)).append(it.hasNext() ? "," + ws(r) : "");
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[').append(ws(r));
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? ws(r) + "," + ws(r) : "");
                spell(l.get(i), r, sb);
            }
            sb.append(ws(r)).append(']');
        } else if (v instanceof String s) {
            string(s, r, sb);
        } else {
            sb.append(v); // numbers keep their literal; true, false, null
        }
    }

    private static void string(String s, Random r, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int pick = r.nextInt(4);
            if (Character.isHighSurrogate(c)) { // a pair is escaped as a whole or not at all: the text stays valid UTF-16
                sb.append(pick == 0 ? String.format("\\u%04x\\u%04X", (int) c, (int) s.charAt(i + 1)) : s.substring(i, i + 2));
                i++;
            } else if (c == '"' || c == '\\' || c < 0x20 || pick == 0) {
                String shortForm = switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    case '/' -> "\\/";
                    default -> null;
                };
                sb.append(shortForm != null && r.nextBoolean() ? shortForm
                        : String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static String escapeAll(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
        return sb.toString();
    }

    private static String ws(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n\t";
            case 2 -> "\r\n  ";
            default -> "";
        };
    }

    private static void assertSame(Object expected, JsonNode actual) {
        if (expected instanceof Map<?, ?> m) {
            assertThat(actual.isObject()).isTrue();
            assertThat(actual.size()).isEqualTo(m.size());
            m.forEach((k, v) -> assertSame(v, actual.get((String) k)));
        } else if (expected instanceof List<?> l) {
            assertThat(actual.isArray()).isTrue();
            assertThat(actual.size()).isEqualTo(l.size());
            for (int i = 0; i < l.size(); i++) {
                assertSame(l.get(i), actual.get(i));
            }
        } else if (expected instanceof String s) {
            assertThat(actual.textValue()).isEqualTo(s);
        } else if (expected instanceof JsonNumber n) {
            assertThat(actual.decimalValue()).isEqualByComparingTo(n.toBigDecimal());
        } else if (expected instanceof Long l) {
            assertThat(actual.longValue()).isEqualTo(l);
        } else if (expected instanceof Boolean b) {
            assertThat(actual.booleanValue()).isEqualTo(b);
        } else {
            assertThat(actual.isNull()).isTrue();
        }
    }
}
