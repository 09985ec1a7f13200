package dev.moat.tool.rule;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One rule on the values an {@link ArgumentPath} reaches, checked on the exact signed argument
 * bytes after the PEP allowed the call and before the tool runs. A violation denies the call as
 * {@code argument_rejected} and is audited.
 *
 * <p>Values are plain JSON (see {@link ArgumentPath.Found}). JSON {@code null} is a value like any
 * other: every value rule refuses it unless the path's rules are marked nullable
 * ({@link PathRules#nullable()}). Arrays and objects are refused where a single value is expected;
 * to check every element of an array, write {@code [*]} in the path. Presence is its own rule
 * ({@link Required}, {@link Absent}); value rules do not apply to a missing argument.
 */
public sealed interface ArgumentRule permits ArgumentRule.PathUnder, ArgumentRule.HostIn, ArgumentRule.OneOf,
        ArgumentRule.NoneOf, ArgumentRule.MaxLength, ArgumentRule.Matches, ArgumentRule.Range, ArgumentRule.Required,
        ArgumentRule.Absent, ArgumentRule.Budget {

    /** Why {@code value} (present; possibly JSON null) breaks this rule, or {@code null} if it keeps it. */
    String violation(Object value);

    static PathUnder pathUnder(Path directory) {
        return new PathUnder(directory);
    }

    static HostIn hostIn(String... hosts) {
        return new HostIn(Set.of(hosts));
    }

    static OneOf oneOf(String... values) {
        return new OneOf(List.of(values));
    }

    /** The argument must equal {@code value} (by value for numbers). */
    static OneOf equalTo(String value) {
        return new OneOf(List.of(value));
    }

    static NoneOf noneOf(String... values) {
        return new NoneOf(List.of(values));
    }

    static MaxLength maxLength(int max) {
        return new MaxLength(max);
    }

    static Matches matches(String regex) {
        return new Matches(Pattern.compile(regex));
    }

    /** A number between {@code min} and {@code max} inclusive; either may be {@code null} (unbounded). */
    static Range range(String min, String max) {
        return new Range(min == null ? null : new BigDecimal(min), max == null ? null : new BigDecimal(max));
    }

    /** Refuses arrays and objects with a readable reason; {@code null} when {@code value} is a scalar or null. */
    private static String scalarOnly(Object value) {
        return JsonValues.isContainer(value) ? "must be a single value, not " + JsonValues.typeName(value)
                + " (write [*] in the rule's path to check each element)" : null;
    }

    private static String notNull(Object value, String expected) {
        return value == null ? "is null, must be " + expected : null;
    }

    /** A file path that stays under {@code directory} after normalisation and symbolic-link resolution. */
    record PathUnder(Path directory) implements ArgumentRule {
        public PathUnder {
            directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        }

        @Override
        public String violation(Object value) {
            return value instanceof String s ? PathRule.violation(directory, s)
                    : "must be a path string, not " + JsonValues.typeName(value);
        }
    }

    /**
     * An http(s) URL, or a host name without a scheme, whose host is one of {@code hosts} (exact,
     * case-insensitive) or under a {@code *.example.com} entry; see {@link HostRule}.
     */
    record HostIn(Set<String> hosts) implements ArgumentRule {
        public HostIn {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("host_in needs at least one host");
            }
            hosts = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        }

        @Override
        public String violation(Object value) {
            return value instanceof String s ? HostRule.violation(hosts, s)
                    : "must be a URL or host string, not " + JsonValues.typeName(value);
        }
    }

    /**
     * One of a fixed set of values: strings exactly, numbers by value ({@code 10.0} equals
     * {@code 10} and {@code 1e1}), booleans as {@code true}/{@code false}. One value is a fixed value.
     */
    record OneOf(List<String> values) implements ArgumentRule {
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("one_of needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public String violation(Object value) {
            String refused = scalarOnly(value);
            if (refused != null) {
                return refused;
            }
            for (String v : values) {
                if (JsonValues.sameValue(value, v)) {
                    return null;
                }
            }
            String expected = values.size() == 1 ? "equal " + values.get(0) : "be one of " + List.copyOf(new TreeSet<>(values));
            return value == null ? "is null, must " + expected : "must " + expected;
        }
    }

    /**
     * A per-argument denial: none of these values. Strings are compared after Unicode NFKC
     * normalisation and case folding, so {@code Evil@Example.COM} and full-width letters are still
     * caught (a deny list must over-match; prefer an allow list where one can be written).
     */
    record NoneOf(List<String> values) implements ArgumentRule {
        public NoneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("none_of needs at least one value");
            }
            values = List.copyOf(values);
        }

        @Override
        public String violation(Object value) {
            String refused = scalarOnly(value);
            if (refused != null) {
                return refused;
            }
            for (String v : values) {
                if (value instanceof String s ? fold(s).equals(fold(v)) : JsonValues.sameValue(value, v)) {
                    return "is a denied value";
                }
            }
            return null;
        }

        private static String fold(String s) {
            return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        }
    }

    /** At most {@code max} code points of text (a number's literal; an array or object: its canonical JSON). */
    record MaxLength(int max) implements ArgumentRule {
        public MaxLength {
            if (max < 0) {
                throw new IllegalArgumentException("max_length must not be negative");
            }
        }

        @Override
        public String violation(Object value) {
            String refused = notNull(value, "at most " + max + " characters");
            if (refused != null) {
                return refused;
            }
            String text = JsonValues.text(value);
            int n = text.codePointCount(0, text.length());
            return n <= max ? null : "is " + n + " characters long, at most " + max + " allowed";
        }
    }

    /** The whole text of a string, number or boolean matches {@code pattern}. */
    record Matches(Pattern pattern) implements ArgumentRule {
        public Matches {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public String violation(Object value) {
            String refused = scalarOnly(value);
            if (refused == null) {
                refused = notNull(value, "text matching " + pattern.pattern());
            }
            if (refused != null) {
                return refused;
            }
            return pattern.matcher(JsonValues.text(value)).matches() ? null : "does not match " + pattern.pattern();
        }
    }

    /** A JSON number (not a string of digits) from {@code min} to {@code max}, both inclusive, either optional. */
    record Range(BigDecimal min, BigDecimal max) implements ArgumentRule {
        public Range {
            if (min == null && max == null) {
                throw new IllegalArgumentException("give min, max or both");
            }
            if (min != null && max != null && min.compareTo(max) > 0) {
                throw new IllegalArgumentException("min must not be above max");
            }
        }

        @Override
        public String violation(Object value) {
            BigDecimal d = JsonValues.number(value);
            if (d == null) {
                return "must be a number, not " + JsonValues.typeName(value);
            }
            if (min != null && d.compareTo(min) < 0) {
                return "is below the minimum " + min.toPlainString();
            }
            if (max != null && d.compareTo(max) > 0) {
                return "is above the maximum " + max.toPlainString();
            }
            return null;
        }
    }

    /** The argument must be present and not null. */
    record Required() implements ArgumentRule {
        @Override
        public String violation(Object value) {
            return value == null ? "is required and must not be null" : null;
        }
    }

    /** The argument must be absent (a JSON null counts as present). */
    record Absent() implements ArgumentRule {
        @Override
        public String violation(Object value) {
            return "must be absent";
        }
    }

    /**
     * A cumulative cap: the sum of this number over every allowed call in the same {@code per}
     * scope may not exceed {@code total}. Checked as a number here; the running sum lives in the
     * tool policy's budget ledger ({@code dev.moat.tool.BudgetLedger}, in this process unless shared).
     */
    record Budget(BigDecimal total, BudgetScope per) implements ArgumentRule {
        public Budget {
            Objects.requireNonNull(total, "total");
            Objects.requireNonNull(per, "per");
            if (total.signum() < 0) {
                throw new IllegalArgumentException("budget total must not be negative");
            }
        }

        @Override
        public String violation(Object value) {
            BigDecimal d = JsonValues.number(value);
            if (d == null) {
                return "must be a number, not " + JsonValues.typeName(value);
            }
            return d.signum() < 0 ? "must not be negative (it counts against a budget)" : null;
        }
    }

    /** All of {@code rules}, as a list, for builders. */
    static List<ArgumentRule> all(ArgumentRule... rules) {
        return Arrays.asList(rules);
    }
}
