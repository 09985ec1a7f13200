package dev.moat.tool.rule;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules on one {@link ArgumentPath}, optionally only {@link #when} a condition holds. Every
 * value the path reaches must keep every rule. A missing value is judged only by
 * {@link ArgumentRule.Required} (it fails); a JSON null is judged by every rule unless
 * {@link #nullable} (then null passes every rule but {@code required}).
 *
 * @param path     where the rules look
 * @param when     the condition under which they apply, or {@code null} for always
 * @param nullable whether a JSON null is accepted
 * @param rules    the rules, all of which must hold
 */
public record PathRules(ArgumentPath path, Condition when, boolean nullable, List<ArgumentRule> rules) {
    public PathRules {
        Objects.requireNonNull(path, "path");
        rules = List.copyOf(rules);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("argument '" + path + "': no rule given");
        }
        boolean absent = rules.stream().anyMatch(r -> r instanceof ArgumentRule.Absent);
        if (absent && rules.size() > 1) {
            throw new IllegalArgumentException("argument '" + path + "': absent cannot be combined with other rules");
        }
    }

    /** Rules that always apply to {@code path}, null refused. */
    public static PathRules of(String path, ArgumentRule... rules) {
        return new PathRules(ArgumentPath.parse(path), null, false, List.of(rules));
    }

    /** Why {@code arguments} break these rules ({@code "argument 'x' ..."}), or {@code null}. */
    public String violation(Map<String, Object> arguments) {
        if (when != null && !when.holds(arguments)) {
            return null;
        }
        for (ArgumentPath.Found f : path.select(arguments)) {
            String v = violation(f);
            if (v != null) {
                return "argument '" + f.where() + "' " + v + (when == null ? "" : " (when " + when.path() + " is "
                        + JsonValues.text(conditionValue(arguments)) + ")");
            }
        }
        return null;
    }

    /** True when the condition (if any) holds, so these rules apply to {@code arguments}. */
    public boolean applies(Map<String, Object> arguments) {
        return when == null || when.holds(arguments);
    }

    /** The sum of the numbers the path reaches (values that are not numbers count nothing; the rules refuse them). */
    public BigDecimal sum(Map<String, Object> arguments) {
        BigDecimal total = BigDecimal.ZERO;
        for (ArgumentPath.Found f : path.select(arguments)) {
            BigDecimal d = f.present() ? JsonValues.number(f.value()) : null;
            total = d == null ? total : total.add(d);
        }
        return total;
    }

    private Object conditionValue(Map<String, Object> arguments) {
        List<ArgumentPath.Found> f = when.path().select(arguments);
        return f.isEmpty() ? null : f.get(0).value();
    }

    private String violation(ArgumentPath.Found f) {
        if (!f.present()) {
            for (ArgumentRule r : rules) {
                if (r instanceof ArgumentRule.Required) {
                    return "is required";
                }
            }
            return null;
        }
        if (f.problem() != null) {
            return f.problem();
        }
        if (f.value() == null && nullable) {
            return rules.stream().anyMatch(r -> r instanceof ArgumentRule.Required) ? "is required and must not be null" : null;
        }
        for (ArgumentRule r : rules) {
            String v = r.violation(f.value());
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Starts the rules on {@code path}; the one way YAML entries and {@code @Rule} annotations are built. */
    public static Builder on(String path) {
        return new Builder(ArgumentPath.parse(path));
    }

    /** Collects rules for one path; errors are plain words naming the YAML key. */
    public static final class Builder {
        private final ArgumentPath path;
        private final List<ArgumentRule> rules = new ArrayList<>();
        private Condition when;
        private boolean nullable;

        private Builder(ArgumentPath path) {
            this.path = path;
        }

        /** Applies the rules only when {@code conditionPath} equals {@code value}. */
        public Builder when(String conditionPath, String value) {
            this.when = new Condition(ArgumentPath.parse(conditionPath), ArgumentRule.equalTo(value));
            return this;
        }

        /** Applies the rules only when {@code conditionPath} is one of {@code values}. */
        public Builder whenOneOf(String conditionPath, List<String> values) {
            this.when = new Condition(ArgumentPath.parse(conditionPath), new ArgumentRule.OneOf(values));
            return this;
        }

        public Builder nullable() {
            this.nullable = true;
            return this;
        }

        public Builder rule(ArgumentRule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder oneOf(List<String> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("one_of: give at least one value");
            }
            return rule(new ArgumentRule.OneOf(values));
        }

        public Builder equalTo(String value) {
            return rule(ArgumentRule.equalTo(value));
        }

        public Builder noneOf(List<String> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("none_of: give at least one value");
            }
            return rule(new ArgumentRule.NoneOf(values));
        }

        public Builder hostIn(List<String> hosts) {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("host_in: give at least one host");
            }
            for (String h : hosts) {
                if (h == null || h.isEmpty() || h.contains("/") || h.contains("@") || h.contains(":") && !h.startsWith("[")
                        || h.chars().anyMatch(c -> c > 0x7e || c <= 0x20) || h.indexOf('*', 1) >= 0
                        || h.startsWith("*") && !h.startsWith("*.")) {
                    throw new IllegalArgumentException("host_in: '" + h + "' is not a host name (ASCII, no scheme,"
                            + " port or path; '*.example.com' for subdomains)");
                }
            }
            return rule(new ArgumentRule.HostIn(java.util.Set.copyOf(hosts)));
        }

        public Builder pathUnder(Path directory) {
            return rule(new ArgumentRule.PathUnder(directory));
        }

        public Builder maxLength(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max_length: must not be negative");
            }
            return rule(new ArgumentRule.MaxLength(max));
        }

        public Builder matches(String regex) {
            try {
                return rule(new ArgumentRule.Matches(Pattern.compile(regex)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matches: not a valid regular expression (" + e.getDescription() + ")");
            }
        }

        /** {@code min} and {@code max} as decimals; either may be {@code null}. */
        public Builder range(String min, String max) {
            return rule(new ArgumentRule.Range(decimal("min", min), decimal("max", max)));
        }

        public Builder required() {
            return rule(new ArgumentRule.Required());
        }

        public Builder absent() {
            return rule(new ArgumentRule.Absent());
        }

        public Builder budget(String total, String per) {
            BigDecimal t = decimal("budget.total", total);
            if (t == null) {
                throw new IllegalArgumentException("budget.total: required");
            }
            return rule(new ArgumentRule.Budget(t, BudgetScope.of(per == null ? "conversation" : per)));
        }

        public PathRules build() {
            if (rules.isEmpty()) {
                throw new IllegalArgumentException("give at least one rule (one_of, equals, none_of, host_in, path_under,"
                        + " max_length, matches, min, max, required, absent, budget)");
            }
            return new PathRules(path, when, nullable, rules);
        }

        private static BigDecimal decimal(String key, String text) {
            if (text == null) {
                return null;
            }
            BigDecimal d = JsonValues.numberOrNull(text.strip());
            if (d == null) {
                throw new IllegalArgumentException(key + ": '" + text + "' is not a number");
            }
            return d;
        }
    }
}
