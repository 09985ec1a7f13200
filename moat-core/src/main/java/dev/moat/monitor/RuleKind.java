package dev.moat.monitor;

import java.util.Locale;

/** Which family of rule raised an alert. */
public enum RuleKind {
    /** The per-agent state machine saw a transition its table does not allow. */
    TRANSITION,
    /** A sliding-window call rate was exceeded. */
    RATE,
    /** Too many distinct resources inside a window. */
    DISTINCT_RESOURCES,
    /** The cost budget of a window was exceeded. */
    COST_BUDGET,
    /** An ordered sequence of steps (same or several agents) completed inside its window. */
    SEQUENCE,
    /** The agent's cumulative risk score crossed its threshold. */
    DRIFT,
    /** The monitor itself failed (or could not report an alert); always a block: fail closed. */
    INTERNAL;

    /** Stable lower-case form for audit entries, for example {@code "distinct_resources"}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
