package dev.moat.monitor;

import java.time.Duration;
import java.util.Objects;

/** At most {@code budget} total {@link ObservedCall#cost()} per agent per sliding {@code window}. */
public record CostBudgetRule(String id, double budget, Duration window, MonitorAction action) {
    public CostBudgetRule {
        RuleIds.id(id);
        if (!(budget > 0) || Double.isInfinite(budget)) {
            throw new IllegalArgumentException("budget must be finite and > 0");
        }
        RuleIds.window(window);
        Objects.requireNonNull(action, "action");
    }
}
