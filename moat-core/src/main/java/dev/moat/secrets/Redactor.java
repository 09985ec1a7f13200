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
 * with {@code +} for space) and JSON-escaped. Longest match first; every match becomes
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

    /** {@code text} with every known secret form replaced by {@link #MASK}. */
    public String redact(String text) {
        if (text == null || needles.length == 0 || text.isEmpty()) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int len = matchAt(text, i);
            if (len > 0) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(text, copied, i).append(MASK);
                i += len;
                copied = i;
            } else {
                i++;
            }
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copied, n).toString();
    }

    /** True when {@code text} holds any known secret form. */
    public boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (matchAt(text, i) > 0) {
                return true;
            }
        }
        return false;
    }

    private int matchAt(String text, int at) {
        char c = text.charAt(at);
        int rest = text.length() - at;
        outer:
        for (char[] needle : needles) {
            if (needle[0] != c || needle.length > rest) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (text.charAt(at + k) != needle[k]) {
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
