package dev.moat.tool.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds rule paths a tool's input schema (JSON Schema as plain values) cannot have: a name missing
 * from an object schema's {@code properties} (unless {@code additionalProperties} allows any), or
 * {@code [*]} on a schema that is not an array. Where the schema does not describe a value (no
 * {@code properties}, no {@code items}, combinators), the rest of the path is not judged.
 */
public final class SchemaCheck {
    private SchemaCheck() {}

    /** The paths of {@code rules} (and of their conditions) that {@code schema} cannot have. */
    public static List<String> unknown(List<PathRules> rules, Map<String, Object> schema) {
        List<String> out = new ArrayList<>();
        for (PathRules p : rules) {
            check(p.path(), schema, out);
            if (p.when() != null) {
                check(p.when().path(), schema, out);
            }
        }
        return out;
    }

    private static void check(ArgumentPath path, Map<String, Object> schema, List<String> out) {
        Object node = schema;
        for (String step : path.steps()) {
            if (!(node instanceof Map<?, ?> s)) {
                return;
            }
            if (step.equals(ArgumentPath.EACH)) {
                Object type = s.get("type");
                if ("object".equals(type) || "string".equals(type) || "number".equals(type) || "integer".equals(type)
                        || "boolean".equals(type)) {
                    out.add(path.text());
                    return;
                }
                node = s.get("items");
                continue;
            }
            Object props = s.get("properties");
            if (!(props instanceof Map<?, ?> properties)) {
                return;
            }
            if (!properties.containsKey(step)) {
                Object extra = s.get("additionalProperties");
                if (!(extra instanceof Boolean b && b) && !(extra instanceof Map<?, ?>)) {
                    out.add(path.text());
                }
                return;
            }
            node = properties.get(step);
        }
    }
}
