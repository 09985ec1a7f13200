package dev.moat.langchain4j.constraint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule on one tool argument, checked on the exact (signed) argument value before the tool runs.
 * The annotations in this package declare them on {@code @Tool} parameters; the factories here
 * build them for tools that come from a {@code ToolProvider} (MCP, dynamic tools).
 *
 * <p>{@link #violation} returns {@code null} when the value is acceptable, or a one-line reason.
 * Arrays are checked element by element; objects are refused by every rule but {@link MaxLength}.
 * For a parameter whose Java type is a single value ({@code String}, a number, an enum...), the
 * rules on {@code @Tool} methods start with {@link SingleValue}: LangChain4j would hand such a
 * parameter the text of an array ({@code "[a, b]"}), which is not what the element-wise check saw.
 */
public sealed interface ArgumentConstraint
        permits ArgumentConstraint.PathUnder, ArgumentConstraint.HostIn, ArgumentConstraint.OneOf,
        ArgumentConstraint.MaxLength, ArgumentConstraint.Matches, ArgumentConstraint.SingleValue {

    /** Why {@code value} (never null, never JSON null) breaks this rule, or {@code null} if it does not. */
    default String violation(JsonNode value) {
        if (value.isArray()) {
            for (JsonNode element : value) {
                String v = violation(element);
                if (v != null) {
                    return v;
                }
            }
            return null;
        }
        if (value.isContainerNode() && !(this instanceof MaxLength)) {
            return "must be a single value, not an object";
        }
        return violationOfScalar(value);
    }

    /** The rule applied to one non-array value. */
    String violationOfScalar(JsonNode value);

    static PathUnder pathUnder(Path directory) {
        return new PathUnder(directory);
    }

    static HostIn hostIn(String... hosts) {
        return new HostIn(new LinkedHashSet<>(Arrays.asList(hosts)));
    }

    static OneOf oneOf(String... values) {
        return new OneOf(new LinkedHashSet<>(Arrays.asList(values)));
    }

    static MaxLength maxLength(int max) {
        return new MaxLength(max);
    }

    static Matches matches(String regex) {
        return new Matches(Pattern.compile(regex));
    }

    static SingleValue singleValue(String javaType) {
        return new SingleValue(javaType);
    }

    /**
     * Refuses an array or object: the tool's parameter ({@code javaType}) takes one value, so the
     * rules are checked on exactly what it receives.
     */
    record SingleValue(String javaType) implements ArgumentConstraint {
        public SingleValue {
            Objects.requireNonNull(javaType, "javaType");
        }

        @Override
        public String violation(JsonNode value) {
            return value.isContainerNode()
                    ? "must be a single value, not " + (value.isArray() ? "an array" : "an object") + " (the tool's parameter is a " + javaType + ")"
                    : null;
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            return null;
        }
    }

    /** A file path that stays under {@code directory}; see {@link dev.moat.langchain4j.constraint.PathUnder}. */
    record PathUnder(Path directory) implements ArgumentConstraint {
        public PathUnder {
            directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            return value.isTextual() ? PathRule.violation(directory, value.textValue()) : "must be a path string";
        }
    }

    /** An http(s) URL whose host is allowed; see {@link dev.moat.langchain4j.constraint.HostIn}. */
    record HostIn(Set<String> hosts) implements ArgumentConstraint {
        public HostIn {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("HostIn needs at least one host");
            }
            hosts = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            return value.isTextual() ? UrlRule.violation(hosts, value.textValue()) : "must be a URL string";
        }
    }

    /** One of a fixed set of values. */
    record OneOf(Set<String> values) implements ArgumentConstraint {
        public OneOf {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("OneOf needs at least one value");
            }
            values = Set.copyOf(values);
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            return values.contains(value.asText()) ? null : "must be one of " + List.copyOf(new java.util.TreeSet<>(values));
        }
    }

    /** At most {@code max} code points (for an object: of its JSON text). */
    record MaxLength(int max) implements ArgumentConstraint {
        public MaxLength {
            if (max < 0) {
                throw new IllegalArgumentException("MaxLength must not be negative");
            }
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            String text = value.isContainerNode() ? value.toString() : value.asText();
            int n = text.codePointCount(0, text.length());
            return n <= max ? null : "is " + n + " characters long, at most " + max + " allowed";
        }
    }

    /** The whole text matches {@code pattern}. */
    record Matches(Pattern pattern) implements ArgumentConstraint {
        public Matches {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public String violationOfScalar(JsonNode value) {
            return pattern.matcher(value.asText()).matches() ? null : "does not match " + pattern.pattern();
        }
    }
}
