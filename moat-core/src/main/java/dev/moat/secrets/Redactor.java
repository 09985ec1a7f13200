package dev.moat.secrets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Removes secret values from text before it reaches a model: each value as is, in base64 and
 * base64url (padded and not), percent-encoded (RFC 3986 upper and lower hex, and HTML-form style
 * with {@code +} for space) and JSON-escaped, also when the text spells any of these with JSON
 * escapes ({@code \\u0073ecret}, which a model decodes). Longest match first; every match becomes
 * {@link #MASK}. Immutable and thread-safe; patterns are held as {@code char[]}, never as Strings.
 *
 * <p>Not covered: a value split across chunks the caller redacts separately, a value inside a
 * larger base64 blob at a non-aligned offset, or transformed any other way (hex, reversed,
 * compressed, encrypted).
 */
public final class Redactor {
    public static final String MASK = "[redacted]";
    static final int MIN_LENGTH = 4;
    private static final Redactor NONE = new Redactor(new char[0][]);
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    private final char[][] needles;

    private Redactor(char[][] needles) {
        this.needles = needles;
    }

    /** A redactor that changes nothing. */
    public static Redactor none() {
        return NONE;
    }

    static Redactor of(Collection<SecretValue> values) {
        List<char[]> forms = new ArrayList<>();
        for (SecretValue v : values) {
            if (v.isDestroyed()) {
                continue;
            }
            char[] raw = v.chars();
            add(forms, Arrays.copyOf(raw, raw.length));
            byte[] utf8 = v.utf8();
            try {
                add(forms, ascii(Base64.getEncoder().encode(utf8)));
                add(forms, ascii(Base64.getEncoder().withoutPadding().encode(utf8)));
                add(forms, ascii(Base64.getUrlEncoder().encode(utf8)));
                add(forms, ascii(Base64.getUrlEncoder().withoutPadding().encode(utf8)));
                add(forms, percent(utf8, HEX_UPPER, false));
                add(forms, percent(utf8, HEX_LOWER, false));
                add(forms, percent(utf8, HEX_UPPER, true));
            } finally {
                Arrays.fill(utf8, (byte) 0);
            }
            add(forms, json(raw));
        }
        forms.sort(Comparator.comparingInt((char[] f) -> f.length).reversed());
        return new Redactor(forms.toArray(new char[0][]));
    }

    /**
     * {@code text} with every known secret form replaced by {@link #MASK}, also where the text
     * spells it with JSON escapes ({@code \\uXXXX}, {@code \\/}, {@code \\n} ..., in any mix and up to
     * {@link #ESCAPE_LEVELS} levels deep), which a model decodes.
     */
    public String redact(String text) {
        if (text == null || needles.length == 0 || text.isEmpty()) {
            return text;
        }
        int n = text.length();
        // a view of the text (decoded 0..ESCAPE_LEVELS times) and, per view char, the span of text it came from
        char[] view = text.toCharArray();
        int[] from = new int[n];
        int[] to = new int[n];
        for (int i = 0; i < n; i++) {
            from[i] = i;
            to[i] = i + 1;
        }
        int[] masked = null; // per text char: 0, or the number of the match that covers it
        int matches = 0;
        for (int level = 0; ; level++) {
            for (int i = 0; i < view.length; ) {
                int len = matchAt(view, i);
                if (len > 0) {
                    if (masked == null) {
                        masked = new int[n];
                    }
                    Arrays.fill(masked, from[i], to[i + len - 1], ++matches);
                    i += len;
                } else {
                    i++;
                }
            }
            if (level == ESCAPE_LEVELS || !hasEscape(view)) {
                break;
            }
            int[][] spans = {from, to};
            view = unescape(view, spans);
            from = spans[0];
            to = spans[1];
        }
        if (masked == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; ) {
            if (masked[i] != 0) {
                out.append(MASK);
                int match = masked[i];
                while (i < n && masked[i] == match) {
                    i++;
                }
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** How many nested levels of JSON string escaping {@link #redact} sees through. */
    public static final int ESCAPE_LEVELS = 3;

    private static boolean hasEscape(char[] view) {
        for (char c : view) {
            if (c == '\\') {
                return true;
            }
        }
        return false;
    }

    /** One level of JSON string unescaping; {@code spans} (from, to per char) are mapped onto the result. */
    private static char[] unescape(char[] in, int[][] spans) {
        int[] inFrom = spans[0];
        int[] inTo = spans[1];
        char[] out = new char[in.length];
        int[] outFrom = new int[in.length];
        int[] outTo = new int[in.length];
        int o = 0;
        for (int i = 0; i < in.length; ) {
            int consumed = 1;
            char c = in[i];
            if (c == '\\' && i + 1 < in.length) {
                char e = in[i + 1];
                int decoded = switch (e) {
                    case '"', '\\', '/' -> e;
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'u' -> i + 5 < in.length ? hex4(in, i + 2) : -1;
                    default -> -1;
                };
                if (decoded >= 0) {
                    c = (char) decoded;
                    consumed = e == 'u' ? 6 : 2;
                }
            }
            out[o] = c;
            outFrom[o] = inFrom[i];
            outTo[o] = inTo[i + consumed - 1];
            o++;
            i += consumed;
        }
        spans[0] = Arrays.copyOf(outFrom, o);
        spans[1] = Arrays.copyOf(outTo, o);
        return Arrays.copyOf(out, o);
    }

    private static int hex4(char[] in, int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(in[at + k], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** True when {@code text} holds any known secret form. */
    public boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        return !redact(text).equals(text);
    }

    private int matchAt(char[] text, int at) {
        char c = text[at];
        int rest = text.length - at;
        outer:
        for (char[] needle : needles) {
            if (needle[0] != c || needle.length > rest) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (text[at + k] != needle[k]) {
                    continue outer;
                }
            }
            return needle.length;
        }
        return 0;
    }

    private static void add(List<char[]> forms, char[] form) {
        if (form.length < MIN_LENGTH) {
            return;
        }
        for (char[] f : forms) {
            if (Arrays.equals(f, form)) {
                Arrays.fill(form, '\0');
                return;
            }
        }
        forms.add(form);
    }

    private static char[] ascii(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (char) (bytes[i] & 0x7f);
        }
        Arrays.fill(bytes, (byte) 0);
        return out;
    }

    private static char[] percent(byte[] utf8, char[] hex, boolean form) {
        StringBuilder sb = new StringBuilder(utf8.length * 3);
        for (byte b : utf8) {
            int v = b & 0xff;
            boolean unreserved = (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') || (v >= '0' && v <= '9')
                    || v == '-' || v == '.' || v == '_' || (form ? v == '*' : v == '~');
            if (unreserved) {
                sb.append((char) v);
            } else if (form && v == ' ') {
                sb.append('+');
            } else {
                sb.append('%').append(hex[v >> 4]).append(hex[v & 15]);
            }
        }
        char[] out = new char[sb.length()];
        sb.getChars(0, sb.length(), out, 0);
        sb.setLength(0);
        return out;
    }

    private static char[] json(char[] raw) {
        StringBuilder sb = new StringBuilder(raw.length + 8);
        for (char c : raw) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        char[] out = new char[sb.length()];
        sb.getChars(0, sb.length(), out, 0);
        sb.setLength(0);
        return out;
    }

    @Override
    public String toString() {
        return "Redactor[" + needles.length + " patterns]";
    }
}
