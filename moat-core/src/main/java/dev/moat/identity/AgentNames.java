package dev.moat.identity;

import java.util.regex.Pattern;

/** Agent names are local labels (file names, CLI arguments): 1-64 of {@code [A-Za-z0-9._-]}. */
public final class AgentNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private AgentNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("invalid agent name (1-64 of A-Z a-z 0-9 . _ -, starting alphanumeric)");
        }
        return name;
    }
}
