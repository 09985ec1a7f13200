package dev.moat.internal;

/**
 * Makes untrusted text (agent ids, resources, tool arguments, audit details) safe to show a human
 * on a terminal or in an approval prompt: C0 controls, DEL, C1 controls, format characters (Cf:
 * bidirectional overrides and isolates, zero-width characters, tags) and the other
 * default-ignorable code points are written as visible escapes ({@code \u202e}), so text cannot
 * set the window title, clear the screen, fake lines, or display an IBAN reversed.
 */
public final class DisplayText {
    private DisplayText() {}

    /** {@code text} with every control and invisible code point escaped; {@code null} stays {@code null}. */
    public static String escape(String text) {
        if (text == null || !needsEscape(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (unsafe(cp) || (len == 1 && Character.isSurrogate((char) cp))) {
                if (cp <= 0xFFFF) {
                    out.append(String.format("\\u%04x", cp));
                } else {
                    out.append(String.format("\\U%08x", cp));
                }
            } else {
                out.appendCodePoint(cp);
            }
            i += len;
        }
        return out.toString();
    }

    /** True when {@code text} holds a bidirectional control (the characters that reorder what is shown). */
    public static boolean hasBidiControl(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@link #escape} would change {@code text}. */
    public static boolean needsEscape(String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (unsafe(cp) || (Character.charCount(cp) == 1 && Character.isSurrogate((char) cp))) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static boolean unsafe(int cp) {
        return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)
                || Character.getType(cp) == Character.FORMAT || isDefaultIgnorable(cp)
                || cp == 0x2028 || cp == 0x2029;
    }

    /**
     * Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt): code points
     * rendered as nothing. Most are also format characters (Cf); this list adds the rest
     * (variation selectors, Hangul fillers, the combining grapheme joiner).
     */
    public static boolean isDefaultIgnorable(int cp) {
        return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x115F || cp == 0x1160
                || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F)
                || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F)
                || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8)
                || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }
}
