package dev.moat.monitor;

/** Who may perform the steps of a {@link SequenceRule}. */
public enum Correlation {
    /** Every step by the same agent. */
    SAME_AGENT,
    /** Every step by a different agent (N agents, one step each). */
    DISTINCT_AGENTS,
    /** Any agent for any step, including repeats. */
    ANY_AGENT
}
