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

    /**
     * True when {@code resource} is a valid requested resource. Allocation-free. Printable ASCII is
     * judged in one table-driven pass; the first character outside it hands the whole name to
     * {@link #check(String)}, so both always agree.
     */
    public static boolean isValid(String resource) {
        if (resource == null) {
            return false;
        }
        int n = resource.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        char c0 = resource.charAt(0);
        if (c0 < 'a' || c0 > 'z') {
            return false;
        }
        int i = 1;
        while (i < n && SCHEME_CHAR[resource.charAt(i) & 0x7f] && resource.charAt(i) < 0x80) {
            i++;
        }
        if (i + 3 >= n || resource.charAt(i) != ':' || resource.charAt(i + 1) != '/' || resource.charAt(i + 2) != '/') {
            return false; // no "://", a bad scheme character, or nothing after "://"
        }
        int start = i + 3;
        int segStart = start;
        int segments = 0;
        for (i = start; i <= n; i++) {
            char c = i < n ? resource.charAt(i) : '/';
            if (c == '/') {
                int len = i - segStart;
                if (len == 0 && !(segStart == start && i < n)) {
                    return false; // empty segment
                }
                if (len <= 2 && resource.charAt(segStart) == '.' && (len == 1 || resource.charAt(segStart + 1) == '.')) {
                    return false; // "." or ".."
                }
                if (++segments > MAX_SEGMENTS) {
                    return false;
                }
                segStart = i + 1;
            } else if (c >= 0x80) {
                return problem(resource, false) == null; // non-ASCII: the full code-point rules
            } else if (!PATH_CHAR[c]) {
                return false; // space, control, DEL, '%', '\\' or '*'
            }
        }
        return true;
    }

    /** Scheme characters after the first: {@code [a-z0-9+.-]}. */
    private static final boolean[] SCHEME_CHAR = new boolean[128];
    /** ASCII allowed inside a requested resource's segment: printable, not {@code % \\ *}. */
    private static final boolean[] PATH_CHAR = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            SCHEME_CHAR[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            SCHEME_CHAR[c] = true;
        }
        SCHEME_CHAR['+'] = true;
        SCHEME_CHAR['.'] = true;
        SCHEME_CHAR['-'] = true;
        for (char c = 0x21; c < 0x7f; c++) {
            PATH_CHAR[c] = c != '%' && c != '\\' && c != '*';
        }
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
