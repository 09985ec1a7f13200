package dev.moat.json;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes one value as canonical JSON bytes (spec/PROTOCOL.md section 4), straight to UTF-8: a
 * lone surrogate is refused, never replaced.
 */
final class CanonicalWriter {
    /** Deep enough for any protocol document or tool argument; stops cycles before the stack does. */
    static final int MAX_DEPTH = 256;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[256];
    private int len;

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    void value(Object value, int depth) {
        if (value == null) {
            ascii("null");
        } else if (value instanceof String s) {
            string(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            ascii(Long.toString(((Number) value).longValue()));
        } else if (value instanceof JsonNumber n) {
            ascii(n.literal());
        } else if (value instanceof BigInteger b) {
            ascii(b.toString());
        } else if (value instanceof Boolean b) {
            ascii(b ? "true" : "false");
        } else if (value instanceof Map<?, ?> m) {
            object(m, depth + 1);
        } else if (value instanceof List<?> list) {
            array(list, depth + 1);
        } else {
            throw new CanonicalJsonException(JsonProblem.UNSUPPORTED_VALUE, value.getClass().getName()
                    + " has no canonical JSON form (use JsonNumber for decimals)");
        }
    }

    private void object(Map<?, ?> m, int depth) {
        checkDepth(depth);
        put((byte) '{');
        boolean first = true;
        for (Map.Entry<?, ?> e : inKeyOrder(m)) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            if (!(e.getKey() instanceof String key)) {
                throw new CanonicalJsonException(JsonProblem.UNSUPPORTED_VALUE, "object keys must be strings");
            }
            string(key);
            put((byte) ':');
            value(e.getValue(), depth);
        }
        put((byte) '}');
    }

    private void array(List<?> list, int depth) {
        checkDepth(depth);
        put((byte) '[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                put((byte) ',');
            }
            value(list.get(i), depth);
        }
        put((byte) ']');
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new CanonicalJsonException(JsonProblem.TOO_DEEP, "nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
    }

    /** The entries sorted by key code point; a map already in that order is not copied. */
    @SuppressWarnings("unchecked")
    private static Iterable<Map.Entry<?, ?>> inKeyOrder(Map<?, ?> m) {
        if (m instanceof SortedMap<?, ?> sm && inCodePointOrder(sm)) {
            return (Iterable<Map.Entry<?, ?>>) (Iterable<?>) m.entrySet();
        }
        Map.Entry<?, ?>[] entries = m.entrySet().toArray(new Map.Entry<?, ?>[0]);
        for (Map.Entry<?, ?> e : entries) {
            if (!(e.getKey() instanceof String)) {
                throw new CanonicalJsonException(JsonProblem.UNSUPPORTED_VALUE, "object keys must be strings");
            }
        }
        Arrays.sort(entries, Comparator.comparing(e -> (String) e.getKey(), CanonicalJson.keyOrder()));
        return Arrays.asList(entries);
    }

    /** Natural String order equals code point order while no key holds a char at or above U+D800. */
    private static boolean inCodePointOrder(SortedMap<?, ?> sm) {
        if (sm.comparator() == CanonicalJson.keyOrder()) {
            return true;
        }
        if (sm.comparator() != null) {
            return false;
        }
        for (Object k : sm.keySet()) {
            if (!(k instanceof String s)) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0xD800) {
                    return false;
                }
            }
        }
        return true;
    }

    private void string(String s) {
        put((byte) '"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                put((byte) '\\');
                put((byte) c);
            } else if (c < 0x20) {
                ascii("\\u00");
                put(HEX[c >> 4]);
                put(HEX[c & 15]);
            } else if (c < 0x80) {
                put((byte) c);
            } else if (c < 0x800) {
                put((byte) (0xC0 | c >> 6));
                put((byte) (0x80 | c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new CanonicalJsonException(JsonProblem.LONE_SURROGATE, "unpaired UTF-16 surrogate at character " + i);
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xF0 | cp >> 18));
                put((byte) (0x80 | cp >> 12 & 0x3F));
                put((byte) (0x80 | cp >> 6 & 0x3F));
                put((byte) (0x80 | cp & 0x3F));
            } else {
                put((byte) (0xE0 | c >> 12));
                put((byte) (0x80 | c >> 6 & 0x3F));
                put((byte) (0x80 | c & 0x3F));
            }
        }
        put((byte) '"');
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            put((byte) s.charAt(i));
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = b;
    }
}
