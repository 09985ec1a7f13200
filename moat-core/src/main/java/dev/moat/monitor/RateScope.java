package dev.moat.monitor;

/** What a {@link RateRule} counts separately. Every scope is per agent. */
public enum RateScope {
    /** All matching calls of the agent. */
    AGENT,
    /** Matching calls of the agent, one counter per action. */
    ACTION,
    /** Matching calls of the agent, one counter per resource. */
    RESOURCE
}
