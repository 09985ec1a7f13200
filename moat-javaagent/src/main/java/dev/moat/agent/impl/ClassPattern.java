package dev.moat.agent.impl;

import java.util.regex.Pattern;

/**
 * A fully qualified class name pattern from the {@code agent:} section: {@code *} matches within one
 * package segment or name, {@code **} matches anything (dots included); everything else is literal.
 */
record ClassPattern(String text, Pattern regex) {

    static ClassPattern of(String text) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^.]*");
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new ClassPattern(text, Pattern.compile(re.toString()));
    }

    boolean matches(String name) {
        return name != null && regex.matcher(name).matches();
    }
}
