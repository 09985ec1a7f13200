package dev.moat.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads untrusted JSON text, RFC 8259 and nothing more, into plain values for
 * {@link CanonicalWriter}: maps in key order, lists, strings, {@link JsonNumber} literals as
 * written, booleans and null. Bytes must be strict UTF-8 (no byte order mark, no overlong forms,
 * no encoded surrogates). No leniency (comments, single quotes, trailing commas, {@code NaN},
 * leading zeros or {@code +}), and every limit fails with its own {@link JsonProblem}.
 */
final class CanonicalReader {
    private final String s;
    private final JsonLimits limits;
    private int pos;

    private CanonicalReader(String s, JsonLimits limits) {
        this.s = s;
        this.limits = limits;
    }

    static Object read(byte[] utf8, JsonLimits limits) {
        if (utf8.length > limits.maxBytes()) {
            throw new CanonicalJsonException(JsonProblem.OVERSIZED, utf8.length + " bytes exceeds " + limits.maxBytes());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new CanonicalJsonException(JsonProblem.INVALID_JSON, "not UTF-8");
        }
        return read(text, limits);
    }

    static Object read(String text, JsonLimits limits) {
        if (text.length() > limits.maxBytes()) { // every char is at least one UTF-8 byte
            throw new CanonicalJsonException(JsonProblem.OVERSIZED, "more than " + limits.maxBytes() + " bytes");
        }
        CanonicalReader r = new CanonicalReader(text, limits);
        r.whitespace();
        Object value = r.value(1);
        r.whitespace();
        if (r.pos != text.length()) {
            throw r.invalid("content after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (pos >= s.length()) {
            throw invalid("a value is missing");
        }
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw invalid("unexpected character");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, Object> m = new TreeMap<>(CanonicalJson.keyOrder());
        whitespace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            if (peek() != '"') {
                throw invalid("a key is missing");
            }
            int keyAt = pos;
            String key = string();
            if (m.containsKey(key)) {
                throw new CanonicalJsonException(JsonProblem.DUPLICATE_KEY, "repeated key at character " + keyAt);
            }
            whitespace();
            expect(':');
            whitespace();
            m.put(key, value(depth + 1));
            whitespace();
            if (peek() == ',') {
                pos++;
                whitespace();
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        whitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            whitespace();
            if (peek() == ',') {
                pos++;
                whitespace();
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        pos++; // the opening quote
        int start = pos;
        StringBuilder sb = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                throw invalid("unescaped control character in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, start, pos);
            sb.append(escape());
            start = pos;
        }
        throw invalid("unterminated string");
    }

    /** Reads one escape starting at the backslash; leaves {@code pos} after it. */
    private char escape() {
        if (pos + 1 >= s.length()) {
            throw invalid("unterminated escape");
        }
        char e = s.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"', '\\', '/' -> {
                return e;
            }
            case 'b' -> {
                return '\b';
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'u' -> {
                if (pos + 4 > s.length()) {
                    throw invalid("short \\u escape");
                }
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(s.charAt(pos + i), 16);
                    if (d < 0 || s.charAt(pos + i) > 'f') { // ASCII hex digits only
                        throw invalid("bad \\u escape");
                    }
                    v = v << 4 | d;
                }
                pos += 4;
                return (char) v; // a lone surrogate is refused by the writer, with its own problem
            }
            default -> throw invalid("bad escape");
        }
    }

    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw invalid("bad number");
        }
        if (peek() == '.') {
            pos++;
            if (digits() == 0) {
                throw invalid("bad number: no digit after '.'");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (digits() == 0) {
                throw invalid("bad number: no exponent digit");
            }
        }
        if (pos - start > limits.maxNumberLength()) {
            throw new CanonicalJsonException(JsonProblem.NUMBER_TOO_LONG,
                    (pos - start) + " characters exceeds " + limits.maxNumberLength() + " at character " + start);
        }
        return new JsonNumber(s.substring(start, pos));
    }

    private int digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos - start;
    }

    private Object literal(String word, Object value) {
        if (!s.startsWith(word, pos)) {
            throw invalid("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > limits.maxDepth()) {
            throw new CanonicalJsonException(JsonProblem.TOO_DEEP, "nesting deeper than " + limits.maxDepth() + " at character " + pos);
        }
    }

    /** Only the four characters RFC 8259 calls whitespace. */
    private void whitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0'; // NUL is never valid where peek decides
    }

    private void expect(char c) {
        if (peek() != c || pos >= s.length()) {
            throw invalid("expected '" + c + "'");
        }
        pos++;
    }

    private CanonicalJsonException invalid(String what) {
        return new CanonicalJsonException(JsonProblem.INVALID_JSON, what + " at character " + pos);
    }
}
