package dev.moat.monitor;

import java.time.Duration;
import java.util.Objects;

/** At most {@code max} distinct resources touched by one agent per sliding {@code window}. */
public record DistinctResourceRule(String id, int max, Duration window, MonitorAction action) {
    public DistinctResourceRule {
        RuleIds.id(id);
        if (max < 1 || max > 100_000) {
            throw new IllegalArgumentException("max must be between 1 and 100000");
        }
        RuleIds.window(window);
        Objects.requireNonNull(action, "action");
    }
}
