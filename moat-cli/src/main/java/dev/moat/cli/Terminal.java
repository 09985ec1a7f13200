package dev.moat.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Is a stream a terminal, and may we colour it? The {@code ./moat} launcher knows for sure
 * ({@code [ -t 1 ]}) and passes {@code MOAT_STDOUT_TTY} / {@code MOAT_STDERR_TTY} as 1 or 0;
 * without them (plain {@code java -jar}) the JVM's console is asked.
 */
public final class Terminal {
    private Terminal() {}

    /** Colour choice of {@code --color}. */
    public enum ColorMode { auto, always, never }

    public static boolean stdoutIsTerminal(Map<String, String> env) {
        return fromEnv(env.get("MOAT_STDOUT_TTY"));
    }

    public static boolean stderrIsTerminal(Map<String, String> env) {
        return fromEnv(env.get("MOAT_STDERR_TTY"));
    }

    /**
     * Colour is on with {@code always}; with {@code auto} only when the stream is a terminal and
     * {@code NO_COLOR} is unset or empty (https://no-color.org).
     */
    public static boolean colorEnabled(ColorMode mode, Map<String, String> env, boolean isTerminal) {
        return switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> isTerminal && isBlank(env.get("NO_COLOR")) && !"dumb".equals(env.get("TERM"));
        };
    }

    private static boolean fromEnv(String flag) {
        if (flag != null) {
            return flag.equals("1");
        }
        return jvmConsoleIsTerminal();
    }

    private static boolean jvmConsoleIsTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+ may return a console when redirected; it then answers isTerminal() honestly.
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only when stdin and stdout are terminals
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }
}
