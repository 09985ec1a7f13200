package dev.moat.tool.rule;

import java.util.Locale;

/** What a {@link ArgumentRule.Budget} is counted per. */
public enum BudgetScope {
    /** Per conversation id of the call's context; a call without one is denied. */
    CONVERSATION,
    /** Per capability the call was allowed under (the leaf token's id): a renewed capability starts afresh. */
    CAPABILITY,
    /** Per signing agent, for the life of the process. */
    AGENT;

    /** The YAML spelling: {@code conversation}, {@code capability}, {@code agent}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the YAML spelling. */
    public static BudgetScope of(String code) {
        for (BudgetScope s : values()) {
            if (s.code().equals(code)) {
                return s;
            }
        }
        throw new IllegalArgumentException("budget per must be conversation, capability or agent, not '" + code + "'");
    }
}
