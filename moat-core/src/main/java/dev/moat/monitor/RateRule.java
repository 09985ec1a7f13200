package dev.moat.monitor;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code max} matching calls per {@code window} (sliding, per agent, per {@link RateScope}).
 * The call that would be number {@code max + 1} inside the window fires the rule. A call at time
 * {@code t} leaves the window at exactly {@code t + window}.
 *
 * @param filter only calls it matches are counted ({@link StepMatcher#any()} for all)
 */
public record RateRule(String id, RateScope scope, StepMatcher filter, int max, Duration window, MonitorAction action) {
    public RateRule {
        RuleIds.id(id);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(filter, "filter");
        if (max < 1 || max > 1_000_000) {
            throw new IllegalArgumentException("max must be between 1 and 1000000");
        }
        RuleIds.window(window);
        Objects.requireNonNull(action, "action");
    }

    public static RateRule perAgent(String id, int max, Duration window, MonitorAction action) {
        return new RateRule(id, RateScope.AGENT, StepMatcher.any(), max, window, action);
    }

    public static RateRule perAction(String id, int max, Duration window, MonitorAction action) {
        return new RateRule(id, RateScope.ACTION, StepMatcher.any(), max, window, action);
    }

    public static RateRule perResource(String id, int max, Duration window, MonitorAction action) {
        return new RateRule(id, RateScope.RESOURCE, StepMatcher.any(), max, window, action);
    }

    public RateRule onlyFor(StepMatcher f) {
        return new RateRule(id, scope, f, max, window, action);
    }
}
