package dev.moat.cli;

/** ANSI styling that collapses to plain text when colour is off. */
public final class Style {
    private static final String RESET = "\u001b[0m";
    private final boolean on;

    public Style(boolean on) {
        this.on = on;
    }

    public boolean enabled() {
        return on;
    }

    public String green(String s) {
        return wrap("\u001b[32m", s);
    }

    public String red(String s) {
        return wrap("\u001b[31m", s);
    }

    public String yellow(String s) {
        return wrap("\u001b[33m", s);
    }

    public String bold(String s) {
        return wrap("\u001b[1m", s);
    }

    public String dim(String s) {
        return wrap("\u001b[2m", s);
    }

    private String wrap(String code, String s) {
        return on ? code + s + RESET : s;
    }
}
