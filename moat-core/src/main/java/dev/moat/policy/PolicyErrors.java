package dev.moat.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of policy errors: what the YAML parser reports ("duplicate key", the YAML syntax
 * problem) at its position, and the names of expected and found values that {@link PolicyReader}
 * uses for its binding errors. Never a Java class name or a Jackson phrase.
 */
final class PolicyErrors {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,128})'");
    private static final int MAX_VALUE_CHARS = 60;

    private PolicyErrors() {}

    /** A parse error of the file (the parser found no value to bind yet). */
    static PolicyException of(Path file, JsonProcessingException e) {
        Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        JsonLocation loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        if (dup.find()) {
            return PolicyException.atPosition(file, line, column, null, "duplicate key '" + dup.group(1) + "'");
        }
        org.yaml.snakeyaml.error.MarkedYAMLException y = yamlCause(e);
        if (y != null) {
            String problem = y.getProblem() == null ? "not valid YAML" : y.getProblem();
            if (y.getProblemMark() != null) {
                line = y.getProblemMark().getLine() + 1;
                column = y.getProblemMark().getColumn() + 1;
            }
            return PolicyException.atPosition(file, line, column, null,
                    "invalid YAML: " + problem + (y.getContext() == null ? "" : " (" + y.getContext() + ")"));
        }
        return PolicyException.atPosition(file, line, column, null, "not a valid policy file");
    }

    private static org.yaml.snakeyaml.error.MarkedYAMLException yamlCause(Throwable e) {
        for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
            if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException y) {
                return y;
            }
        }
        return null;
    }

    static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a mapping (key: value)";
    }

    static String shown(Object value) {
        if (value == null) {
            return "nothing";
        }
        String s = dev.moat.internal.DisplayText.escape(String.valueOf(value));
        return "'" + (s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "…" : s) + "'";
    }
}
