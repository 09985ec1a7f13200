package dev.moat.tool.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a rule looks inside a tool's arguments: an argument name, then {@code .member} steps into
 * objects and {@code [*]} steps over every element of an array, e.g. {@code recipient},
 * {@code recipients[*]}, {@code attachments[*].file_id}. A rule on a path is checked on every value
 * the path reaches. A step into a value of the wrong type (an {@code [*]} over a string, a
 * {@code .member} of an array) is a violation, never a skip; a missing member is reported as absent.
 *
 * @param text the path as written
 */
public record ArgumentPath(String text, List<String> steps) {
    /** The step that iterates an array. */
    static final String EACH = "[*]";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$@-]{1,128}");
    private static final int MAX_STEPS = 16;

    public ArgumentPath {
        Objects.requireNonNull(text, "text");
        steps = List.copyOf(steps);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException in plain words when the path is not of the form above
     */
    public static ArgumentPath parse(String text) {
        Objects.requireNonNull(text, "path");
        List<String> steps = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (text.startsWith(EACH, i)) {
                if (steps.isEmpty()) {
                    throw new IllegalArgumentException("path '" + text + "' must start with an argument name");
                }
                steps.add(EACH);
                i += EACH.length();
                continue;
            }
            if (!steps.isEmpty()) {
                if (text.charAt(i) != '.') {
                    throw new IllegalArgumentException("path '" + text + "': expected '.name' or '[*]' at position " + (i + 1));
                }
                i++;
            }
            int end = i;
            while (end < n && text.charAt(end) != '.' && text.charAt(end) != '[') {
                end++;
            }
            String name = text.substring(i, end);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("path '" + text + "': '" + name
                        + "' is not an argument name (letters, digits, _ $ @ -)");
            }
            steps.add(name);
            i = end;
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("path '" + text + "' has more than " + MAX_STEPS + " steps");
        }
        return new ArgumentPath(text, steps);
    }

    /** The top-level argument this path starts at. */
    public String argument() {
        return steps.get(0);
    }

    /** This path followed by the relative {@code tail} ({@code [*].file_id}), for annotations on a parameter. */
    public ArgumentPath then(String tail) {
        if (tail == null || tail.isEmpty()) {
            return this;
        }
        return parse(text + (tail.startsWith("[") || tail.startsWith(".") ? tail : "." + tail));
    }

    /** True when the path visits every element of some array. */
    public boolean iterates() {
        return steps.contains(EACH);
    }

    /**
     * One place the path reaches: its concrete location ({@code attachments[2].file_id}), whether a
     * value is there, the value (plain JSON: Map, List, String, JsonNumber, Boolean, or null for
     * JSON null), or why the path could not be followed.
     */
    public record Found(String where, boolean present, Object value, String problem) {}

    /** Every place the path reaches in {@code arguments} (an object from {@code CanonicalJson.parse}). */
    public List<Found> select(Map<String, Object> arguments) {
        List<Found> out = new ArrayList<>();
        walk(arguments, true, 0, "", out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void walk(Object node, boolean present, int step, String where, List<Found> out) {
        if (step == steps.size()) {
            out.add(new Found(where, present, node, null));
            return;
        }
        String s = steps.get(step);
        if (!present) {
            out.add(new Found(where.isEmpty() ? s : where, false, null, null));
            return;
        }
        if (s.equals(EACH)) {
            if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), true, step + 1, where + "[" + i + "]", out);
                }
            } else if (node == null) {
                out.add(new Found(where, true, null, null)); // null is a value: the rules judge it
            } else {
                out.add(new Found(where, true, node, "must be an array, not " + JsonValues.typeName(node)));
            }
            return;
        }
        String at = where.isEmpty() ? s : where + "." + s;
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> object = (Map<String, Object>) map;
            walk(object.get(s), object.containsKey(s), step + 1, at, out);
        } else if (node == null) {
            out.add(new Found(where, true, null, null));
        } else {
            out.add(new Found(where, true, node, "must be an object, not " + JsonValues.typeName(node)));
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
