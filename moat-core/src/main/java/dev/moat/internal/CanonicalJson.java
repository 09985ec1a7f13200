package dev.moat.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic JSON for signed payloads (spec/PROTOCOL.md section "Canonical JSON"): object keys
 * sorted by code point, no whitespace, integers only, strings escaped minimally ({@code \"},
 * {@code \\}, and {@code \}{@code u00XX} for control characters), non-ASCII as raw UTF-8.
 * Accepts {@link Map} (String keys), {@link List}, {@link String}, {@link Long}, {@link Integer},
 * {@link Boolean} and {@code null}.
 */
public final class CanonicalJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    public static byte[] encode(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String encodeToString(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void write(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            writeString(sb, s);
        } else if (value instanceof Long || value instanceof Integer) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Map<?, ?> m) {
            Map<String, Object> sorted = m instanceof TreeMap<?, ?> ? (Map<String, Object>) m : new TreeMap<>((Map<String, Object>) m);
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(sb, e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not canonical-JSON encodable: " + value.getClass().getName());
        }
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
            } else if (Character.isSurrogate(c)) {
                // UTF-8 has no form for an unpaired surrogate: encoding would silently replace it with '?'
                if (!Character.isHighSurrogate(c) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("string holds an unpaired surrogate at index " + i + ": not Unicode text");
                }
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
