package dev.moat.tool;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The running sums of {@link ArgumentRule.Budget}s: how much of each budget allowed calls have
 * spent, per tool, argument path and scope key. State lives in this object, in this process: a
 * restart or a second replica starts from zero. One ledger is shared by every policy of a
 * {@link ToolRules}; a hand-built {@link ToolPolicy} has its own. At most {@link #MAX_ENTRIES}
 * scope keys are tracked; beyond that a new key is refused (fail closed), never an old one forgotten.
 *
 * <p>Thread-safe: checking that every budget of a call still has room and spending them is one
 * atomic step, so concurrent calls cannot together exceed a cap.
 */
public final class BudgetLedger {
    /** The most (tool, path, scope key) sums kept. */
    public static final int MAX_ENTRIES = 100_000;

    /** One amount to spend: the key names tool, path and scope; {@code total} is the cap. */
    record Charge(String key, String describe, BigDecimal amount, BigDecimal total) {}

    private final Map<String, BigDecimal> spent = new HashMap<>();

    /** Spends every charge, or none: returns {@code null}, or why a charge does not fit. */
    synchronized String spend(List<Charge> charges) {
        Map<String, BigDecimal> after = new HashMap<>();
        int fresh = 0;
        for (Charge c : charges) {
            BigDecimal before = after.containsKey(c.key()) ? after.get(c.key()) : spent.get(c.key());
            if (before == null) {
                fresh++;
                before = BigDecimal.ZERO;
            }
            BigDecimal next = before.add(c.amount());
            if (next.compareTo(c.total()) > 0) {
                return c.describe() + ": " + before.toPlainString() + " of " + c.total().toPlainString()
                        + " already spent, " + c.amount().toPlainString() + " more would exceed it";
            }
            after.put(c.key(), next);
        }
        if (spent.size() + fresh > MAX_ENTRIES) {
            return "the budget ledger is full (" + MAX_ENTRIES + " scopes); refusing to start a new budget";
        }
        spent.putAll(after);
        return null;
    }

    /** What has been spent so far under {@code key} (for tests and diagnostics). */
    synchronized BigDecimal spent(String key) {
        return spent.getOrDefault(key, BigDecimal.ZERO);
    }
}
