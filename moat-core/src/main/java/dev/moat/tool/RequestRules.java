package dev.moat.tool;

import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.tool.rule.ArgumentPath;
import dev.moat.tool.rule.ArgumentRule;
import dev.moat.tool.rule.PathRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The tools one user request may call and the argument values it may pass them (this request may
 * only mail {@code bob@example.com}), checked by {@link ToolPolicy#check} on top of each tool's own
 * rules, so they only narrow: a call must keep both. Installed for one thread by {@link #during}
 * (usually through {@code Capabilities.during(RequestCapability, ...)}); calls on other threads are
 * unaffected. Fail closed: a call to a tool the request does not list is refused, and so is a call
 * without a value at a path a request rule names. Immutable and thread-safe.
 */
public final class RequestRules {
    private static final ThreadLocal<RequestRules> CURRENT = new ThreadLocal<>();

    private final Map<String, List<PathRules>> byTool;

    private RequestRules(Map<String, List<PathRules>> byTool) {
        Map<String, List<PathRules>> copy = new LinkedHashMap<>();
        byTool.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.byTool = java.util.Collections.unmodifiableMap(copy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tools this request may call. */
    public Set<String> tools() {
        return byTool.keySet();
    }

    /** The request's rules on {@code tool}'s arguments (empty when it has none or is not listed). */
    public List<PathRules> rules(String tool) {
        return byTool.getOrDefault(tool, List.of());
    }

    /** Runs {@code work} with these rules in force for this thread; the previous ones are restored afterwards. */
    public <T> T during(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        RequestRules previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The rules in force on this thread, or {@code null}. */
    static RequestRules current() {
        return CURRENT.get();
    }

    /** Why a call of {@code tool} with {@code arguments} breaks this request's rules, or {@code null}. */
    Failure violation(String tool, Map<String, Object> arguments) {
        List<PathRules> rules = byTool.get(tool);
        if (rules == null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "tool '" + tool + "' is not one of this request's tools " + tools());
        }
        for (PathRules p : rules) {
            if (p.applies(arguments) && p.path().select(arguments).stream().noneMatch(ArgumentPath.Found::present)) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument '" + p.path() + "' is ruled by this request but the call has none");
            }
            String v = p.violation(arguments);
            if (v != null) {
                return Failure.of(ReasonCode.ARGUMENT_REJECTED, v + " (this request's rule)");
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "RequestRules" + byTool.keySet();
    }

    /** Builder for {@link RequestRules}: list the tools first, then their argument rules. */
    public static final class Builder {
        private final Map<String, List<PathRules>> byTool = new LinkedHashMap<>();

        private Builder() {
        }

        /** The request may call {@code tool}. */
        public Builder tool(String tool) {
            Objects.requireNonNull(tool, "tool");
            if (tool.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank");
            }
            byTool.putIfAbsent(tool, new ArrayList<>());
            return this;
        }

        /**
         * The values at {@code path} of {@code tool}'s arguments must keep {@code rules} (on top of
         * the tool's own). Refused for a tool not listed with {@link #tool}, and for a budget (a
         * budget is the tool's, not one request's).
         */
        public Builder argument(String tool, String path, ArgumentRule... rules) {
            return argument(tool, PathRules.of(path, rules));
        }

        /** As {@link #argument(String, String, ArgumentRule...)}, with a conditional or nullable path. */
        public Builder argument(String tool, PathRules rules) {
            Objects.requireNonNull(rules, "rules");
            List<PathRules> list = byTool.get(tool);
            if (list == null) {
                throw new IllegalArgumentException("request rule on '" + rules.path() + "' names tool '" + tool
                        + "', which is not one of the request's tools " + byTool.keySet());
            }
            if (rules.rules().stream().anyMatch(r -> r instanceof ArgumentRule.Budget)) {
                throw new IllegalArgumentException("request rule on '" + rules.path() + "' of tool '" + tool
                        + "': a budget belongs to the tool's rules, not to one request");
            }
            list.add(rules);
            return this;
        }

        public Builder tools(String... tools) {
            Arrays.stream(tools).forEach(this::tool);
            return this;
        }

        public RequestRules build() {
            if (byTool.isEmpty()) {
                throw new IllegalArgumentException("a request names at least one tool");
            }
            return new RequestRules(byTool);
        }
    }
}
