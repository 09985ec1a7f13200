package dev.moat.token;

/**
 * Normal form of resource names ({@code scheme://seg/seg}). Refused everywhere, in patterns and in
 * requests: {@code .} and {@code ..} segments, empty segments (except a single leading one, as in
 * {@code file:///tmp}), {@code %} (no percent-encoding, so no encoded separators), backslashes,
 * whitespace (including no-break spaces), control characters, format characters (Cf: zero-width,
 * bidirectional controls and tags, judged per code point, so also outside the BMP), the other
 * default-ignorable code points (variation selectors, Hangul fillers, combining grapheme joiner),
 * unassigned code points outside the BMP and unpaired surrogates, all of which make two different
 * names look alike; and more than 1024 characters or 64 segments. {@code *} is allowed only in patterns.
 */
public final class Resources {
    public static final int MAX_LENGTH = 1024;
    public static final int MAX_SEGMENTS = 64;

    private Resources() {}

    /** True when {@code resource} is a valid requested resource. Allocation-free. */
    public static boolean isValid(String resource) {
        return problem(resource, false) == null;
    }

    /** Null when valid; else a short description of the first problem. */
    public static String check(String resource) {
        return problem(resource, false);
    }

    static String problem(String text, boolean pattern) {
        if (text == null || text.isEmpty()) {
            return "empty";
        }
        if (text.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        int sep = text.indexOf("://");
        if (sep <= 0) {
            return "missing scheme://";
        }
        for (int i = 0; i < sep; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-')))) {
                return "bad scheme";
            }
        }
        int start = sep + 3;
        int n = text.length();
        if (start == n) {
            return "no path after scheme://";
        }
        int segments = 0;
        int segStart = start;
        for (int i = start; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '/';
            if (c == '/') {
                int len = i - segStart;
                if (len == 0 && !(segStart == start && i < n)) {
                    return "empty segment";
                }
                if (len == 1 && text.charAt(segStart) == '.') {
                    return "'.' segment";
                }
                if (len == 2 && text.charAt(segStart) == '.' && text.charAt(segStart + 1) == '.') {
                    return "'..' segment";
                }
                if (++segments > MAX_SEGMENTS) {
                    return "more than " + MAX_SEGMENTS + " segments";
                }
                segStart = i + 1;
                continue;
            }
            if (c == '%') {
                return "percent-encoding is not allowed";
            }
            if (c == '\\') {
                return "backslash is not allowed";
            }
            if (c > 0x20 && c < 0x7f) { // printable ASCII: never a space, control, format or ignorable character
                if (c == '*' && !pattern) {
                    return "'*' is only allowed in patterns";
                }
                continue;
            }
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT || isDefaultIgnorable(c)) {
                return "whitespace, control or format character";
            }
            if (Character.isSurrogate(c)) { // judge the whole code point: U+E0001 (a tag, Cf) is a surrogate pair
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return "unpaired surrogate";
                }
                int cp = Character.toCodePoint(c, text.charAt(i + 1));
                if (Character.getType(cp) == Character.FORMAT || isDefaultIgnorable(cp) || Character.getType(cp) == Character.UNASSIGNED) {
                    return "format, default-ignorable or unassigned character U+" + Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
                }
                i++;
            }
            if (c == '*' && !pattern) {
                return "'*' is only allowed in patterns";
            }
        }
        return null;
    }

    private static boolean isDefaultIgnorable(int cp) {
        return dev.moat.internal.DisplayText.isDefaultIgnorable(cp);
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
