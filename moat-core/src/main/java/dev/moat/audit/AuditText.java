package dev.moat.audit;

/**
 * Makes event strings round-trip through UTF-8 (unpaired surrogates become U+FFFD) and bounds
 * untrusted strings before they are written.
 */
final class AuditText {
    /** Appended to a string that was cut. */
    static final String CUT = "\u2026";

    private AuditText() {}

    /** {@code s} if at most {@code max} chars, else its first chars (never half a pair) plus {@link #CUT}. */
    static String bound(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - CUT.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + CUT;
    }

    /** The longest prefix of {@code bytes} of at most {@code max} bytes that ends on a UTF-8 character boundary, decoded. */
    static String utf8Prefix(byte[] bytes, int max) {
        int end = Math.min(bytes.length, max);
        if (end < bytes.length) {
            while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
                end--; // bytes[end] continues a character: cut before that character starts
            }
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean bad;
            if (Character.isHighSurrogate(c)) {
                bad = i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1));
                if (!bad) {
                    if (out != null) {
                        out.append(c).append(s.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                bad = Character.isLowSurrogate(c);
            }
            if (bad && out == null) {
                out = new StringBuilder(n).append(s, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? s : out.toString();
    }
}
