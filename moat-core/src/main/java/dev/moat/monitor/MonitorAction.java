package dev.moat.monitor;

import java.util.Locale;

/** What a rule does when it fires: record an alert only, or also deny the call. */
public enum MonitorAction {
    ALERT,
    BLOCK;

    /** The policy-file form: {@code "alert"} or {@code "block"}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code "alert"} or {@code "block"}. */
    public static MonitorAction fromCode(String code) {
        for (MonitorAction a : values()) {
            if (a.code().equals(code)) {
                return a;
            }
        }
        throw new IllegalArgumentException("monitor action must be alert or block");
    }
}
