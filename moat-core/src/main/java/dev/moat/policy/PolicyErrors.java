package dev.moat.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what Jackson reports about a policy file into plain words at the right position: the YAML
 * field path as written ({@code router.rate_limit}), "unknown key ... (did you mean ...?)",
 * "missing required key", "expected a whole number, found text", "duplicate key", or the YAML
 * syntax problem. Never a Java class name or a Jackson phrase; anything unforeseen becomes
 * "invalid value" at the field's position.
 */
final class PolicyErrors {
    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']{1,128})'");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']{1,128})'");
    private static final int MAX_VALUE_CHARS = 60;

    private PolicyErrors() {}

    static PolicyException of(Path file, PolicyPositions positions, JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        Matcher dup = DUPLICATE.matcher(original);
        JsonLocation loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNr();
        int column = loc == null ? -1 : loc.getColumnNr();
        if (dup.find()) {
            String field = e instanceof JsonMappingException m ? path(m.getPath()) : "";
            return PolicyException.atPosition(file, line, column, field.isEmpty() ? null : field,
                    "duplicate key '" + dup.group(1) + "'");
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
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return mapping(file, positions, m);
        }
        if (e instanceof MismatchedInputException) {
            return PolicyException.atPosition(file, line, column, null, "the policy must be a mapping of keys (version: 1, id: ...)");
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

    private static PolicyException mapping(Path file, PolicyPositions positions, JsonMappingException e) {
        String field = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new java.util.ArrayList<>();
            Collection<Object> ids = u.getKnownPropertyIds();
            if (ids != null) {
                ids.forEach(o -> known.add(String.valueOf(o)));
            }
            String name = u.getPropertyName();
            String parent = parent(field);
            return PolicyException.at(file, positions, field, "unknown key '" + name + "'" + Suggestions.didYouMean(name, known)
                    + (known.isEmpty() ? "" : "; the keys " + (parent.isEmpty() ? "at the top level" : "of " + parent)
                    + " are " + String.join(", ", new TreeSet<>(known))));
        }
        Matcher missing = MISSING.matcher(String.valueOf(e.getOriginalMessage()));
        if (missing.find()) {
            String key = missing.group(1);
            String at = parent(field);
            // a required key that is missing next to a key written like it: that key is the typo
            var typo = Suggestions.closest(key, positions.keysUnder(at));
            if (typo.isPresent()) {
                String written = at.isEmpty() ? typo.get() : at + "." + typo.get();
                return PolicyException.at(file, positions, written, "unknown key '" + typo.get() + "' (did you mean '" + key + "'?)");
            }
            return PolicyException.at(file, positions, at.isEmpty() ? null : at, "missing required key '" + key + "'");
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null && e.getCause().getMessage() != null
                && e.getCause() instanceof IllegalArgumentException) {
            return PolicyException.at(file, positions, field, e.getCause().getMessage());
        }
        if (e instanceof InvalidNullException) {
            return PolicyException.at(file, positions, field, "must have a value");
        }
        if (e instanceof InvalidFormatException f) {
            return PolicyException.at(file, positions, field, "expected " + expected(f.getTargetType()) + ", found "
                    + shown(f.getValue()));
        }
        if (e instanceof MismatchedInputException mi) {
            String found = found(e);
            return PolicyException.at(file, positions, field, "expected " + expected(mi.getTargetType())
                    + (found == null ? "" : ", found " + found));
        }
        return PolicyException.at(file, positions, field, "invalid value");
    }

    /** {@code grants[1].limits.fuel} from Jackson's reference path (JSON names are the YAML names). */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String parent(String field) {
        int cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
        return cut <= 0 ? "" : field.substring(0, cut);
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

    private static final Pattern FROM = Pattern.compile("from (Object|Array|String|Integer|Floating-point|Boolean|Null) value");

    private static String found(JsonMappingException e) {
        Matcher from = FROM.matcher(String.valueOf(e.getOriginalMessage()));
        if (from.find()) {
            return switch (from.group(1)) {
                case "Object" -> "a mapping";
                case "Array" -> "a list";
                case "String" -> "text";
                case "Integer" -> "a whole number";
                case "Floating-point" -> "a decimal number";
                case "Boolean" -> "true/false";
                default -> "nothing";
            };
        }
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return null;
        }
        JsonToken t = p.currentToken();
        if (t == null) {
            return null;
        }
        return switch (t) {
            case START_ARRAY, END_ARRAY -> "a list";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "a mapping";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "nothing";
            default -> null;
        };
    }

    static String shown(Object value) {
        if (value == null) {
            return "nothing";
        }
        String s = dev.moat.internal.DisplayText.escape(String.valueOf(value));
        return "'" + (s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "…" : s) + "'";
    }
}
