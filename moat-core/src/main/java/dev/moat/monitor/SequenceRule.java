package dev.moat.monitor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An ordered sequence of steps that must not complete within {@code window} (measured from the
 * first step). Steps need not be adjacent: other calls may come between them. The call that
 * completes the sequence fires the rule, so in block mode that last step is denied.
 *
 * <p>Example, secret then egress by another agent:
 * {@code new SequenceRule("exfil", List.of(StepMatcher.kind(SECRET), StepMatcher.kind(NETWORK)),
 * Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, BLOCK)}.
 */
public record SequenceRule(String id, List<StepMatcher> steps, Duration window, Correlation correlation, MonitorAction action) {
    public static final int MAX_STEPS = 16;

    public SequenceRule {
        RuleIds.id(id);
        steps = List.copyOf(steps);
        if (steps.size() < 2 || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a sequence has 2 to " + MAX_STEPS + " steps");
        }
        RuleIds.window(window);
        Objects.requireNonNull(correlation, "correlation");
        Objects.requireNonNull(action, "action");
    }
}
