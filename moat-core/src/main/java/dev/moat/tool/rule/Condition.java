package dev.moat.tool.rule;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a {@link PathRules} applies: the value at {@link #path} (a path without {@code [*]}) keeps
 * {@link #test}, e.g. {@code type} equals {@code external}. A missing value never satisfies a
 * condition, so "if type is external then recipient in list" does not apply to a call without a
 * type; write a separate rule when the condition's argument must be present (or must be one of a
 * closed set, so that {@code "External"} cannot slip past an {@code external} condition). A value
 * that cannot be judged (an array or object where one value is expected) counts as holding: the
 * rules then apply, fail closed.
 */
public record Condition(ArgumentPath path, ArgumentRule test) {
    public Condition {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(test, "test");
        if (path.iterates()) {
            throw new IllegalArgumentException("when.path '" + path + "' must name one value, not [*]");
        }
        if (test instanceof ArgumentRule.Budget || test instanceof ArgumentRule.Absent) {
            throw new IllegalArgumentException("when: a budget or absent is not a condition");
        }
    }

    /** True when the condition holds for {@code arguments}. */
    public boolean holds(Map<String, Object> arguments) {
        List<ArgumentPath.Found> found = path.select(arguments);
        if (found.size() != 1) {
            return false;
        }
        ArgumentPath.Found f = found.get(0);
        if (!f.present()) {
            return false;
        }
        // an array or object where one value is expected: the condition cannot be judged, so its rules apply
        return f.problem() != null || JsonValues.isContainer(f.value()) || test.violation(f.value()) == null;
    }
}
