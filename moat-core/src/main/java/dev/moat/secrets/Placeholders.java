package dev.moat.secrets;

import java.util.LinkedHashSet;
import java.util.Set;

/** Finds and substitutes {@code {{moat-secret:...}}} placeholders in header values. */
final class Placeholders {
    static final String OPEN = "{{";
    static final String CLOSE = "}}";

    private Placeholders() {}

    /** The placeholder bodies in {@code text} that start with the handle prefix (well-formed or not). */
    static Set<String> handlesIn(String text) {
        Set<String> out = new LinkedHashSet<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return out;
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                return out;
            }
            String inner = text.substring(open + OPEN.length(), close).trim();
            if (inner.startsWith(SecretHandle.PREFIX)) {
                out.add(inner);
            }
            from = close + CLOSE.length();
        }
    }

    static boolean hasPlaceholder(String text) {
        return !handlesIn(text).isEmpty();
    }
}
