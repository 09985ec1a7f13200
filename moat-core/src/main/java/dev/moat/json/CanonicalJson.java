package dev.moat.json;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Moat's one canonical JSON encoder (spec/PROTOCOL.md section 4): object members sorted by key in
 * Unicode code point order, no whitespace, strings with the minimal escapes ({@code \"},
 * {@code \\}, {@code \}{@code u00xx} for U+0000 to U+001F) and every other character as raw
 * UTF-8, numbers exactly as written. Everything Moat signs, hashes or hands to a tool is in this
 * form, so what is checked, approved and run are the same bytes.
 *
 * <p>Two entry points. {@link #encode} writes Java values: {@link Map} with {@link String} keys,
 * {@link List}, {@link String}, {@link Long}/{@link Integer}/{@link java.math.BigInteger} (shortest
 * decimal form), {@link JsonNumber} (its literal), {@link Boolean} and {@code null}.
 * {@link #canonicalise} reads untrusted JSON text within {@link JsonLimits} and writes its
 * canonical form; numbers keep their literal ({@code 12.50} stays {@code 12.50}, {@code 1e3} stays
 * {@code 1e3}), so the value and the form the sender chose both survive. Either refuses with a
 * {@link CanonicalJsonException} carrying a {@link JsonProblem}; a lone surrogate is refused, never
 * replaced.
 */
public final class CanonicalJson {
    private static final Comparator<String> KEY_ORDER = CanonicalJson::compareCodePoints;

    private CanonicalJson() {}

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] encode(Object value) {
        CanonicalWriter w = new CanonicalWriter();
        w.value(value, 0);
        return w.toByteArray();
    }

    /** {@link #encode} as a string. */
    public static String encodeToString(Object value) {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    /**
     * Reads untrusted JSON text within {@code limits} into the plain values {@link #encode} writes:
     * {@link Map} (keys in canonical order), {@link List}, {@link String}, {@link JsonNumber} (the
     * literal as written), {@link Boolean} and {@code null}. For rules that judge signed bytes
     * without changing how a number was written.
     */
    public static Object parse(byte[] utf8, JsonLimits limits) {
        return CanonicalReader.read(utf8, limits);
    }

    /** The canonical form of the JSON text {@code utf8} (any JSON value at the top). */
    public static byte[] canonicalise(byte[] utf8, JsonLimits limits) {
        return bounded(encode(CanonicalReader.read(utf8, limits)), limits);
    }

    /** The canonical form of the JSON text {@code json} (any JSON value at the top). */
    public static byte[] canonicalise(String json, JsonLimits limits) {
        return bounded(encode(CanonicalReader.read(json, limits)), limits);
    }

    /** As {@link #canonicalise(String, JsonLimits)}, refusing any top-level value but an object (tool arguments). */
    public static byte[] canonicaliseObject(String json, JsonLimits limits) {
        return bounded(encode(object(CanonicalReader.read(json, limits))), limits);
    }

    /** As {@link #canonicalise(byte[], JsonLimits)}, refusing any top-level value but an object (tool arguments). */
    public static byte[] canonicaliseObject(byte[] utf8, JsonLimits limits) {
        return bounded(encode(object(CanonicalReader.read(utf8, limits))), limits);
    }

    /**
     * The order of object members: by Unicode code point, which is also the byte order of their
     * UTF-8 forms (it differs from {@link String#compareTo} only for characters above U+FFFF).
     */
    public static Comparator<String> keyOrder() {
        return KEY_ORDER;
    }

    private static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return x >= 0xD800 && y >= 0xD800 ? fixUp(x) - fixUp(y) : x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates (U+D800..U+DFFF) above U+E000..U+FFFF, which is where their code points sort. */
    private static int fixUp(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    private static Object object(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new CanonicalJsonException(JsonProblem.NOT_AN_OBJECT, "the top-level value must be an object");
        }
        return value;
    }

    private static byte[] bounded(byte[] canonical, JsonLimits limits) {
        if (canonical.length > limits.maxBytes()) {
            throw new CanonicalJsonException(JsonProblem.OVERSIZED,
                    "canonical form of " + canonical.length + " bytes exceeds " + limits.maxBytes());
        }
        return canonical;
    }
}
