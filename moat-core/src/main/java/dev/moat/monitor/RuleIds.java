package dev.moat.monitor;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** Shared validation for rule configuration. */
final class RuleIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    static final Duration MAX_WINDOW = Duration.ofDays(31);

    private RuleIds() {}

    static String id(String id) {
        Objects.requireNonNull(id, "rule id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id must match " + ID.pattern());
        }
        return id;
    }

    static Duration window(Duration window) {
        Objects.requireNonNull(window, "window");
        if (window.toMillis() < 1 || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("window must be between 1 ms and 31 days");
        }
        return window;
    }
}
