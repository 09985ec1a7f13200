package dev.moat.langchain4j.internal;

import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LangChain4j tool specification's parameters as the plain JSON-schema values core's
 * {@code ToolPolicy.unknownArguments} reads: objects with {@code properties} and
 * {@code additionalProperties}, arrays with {@code items}. Other elements say nothing (not judged).
 */
public final class SchemaMaps {
    private static final int MAX_DEPTH = 16;

    private SchemaMaps() {}

    /** The schema of {@code parameters}; {@code null} (no parameters) is an object without properties. */
    public static Map<String, Object> of(JsonObjectSchema parameters) {
        if (parameters == null) {
            return Map.of("type", "object", "properties", Map.of());
        }
        return element(parameters, 0);
    }

    private static Map<String, Object> element(JsonSchemaElement e, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (depth > MAX_DEPTH) {
            return out;
        }
        if (e instanceof JsonObjectSchema o) {
            out.put("type", "object");
            Map<String, Object> props = new LinkedHashMap<>();
            if (o.properties() != null) {
                o.properties().forEach((k, v) -> props.put(k, element(v, depth + 1)));
            }
            out.put("properties", props);
            if (Boolean.TRUE.equals(o.additionalProperties())) {
                out.put("additionalProperties", true);
            }
        } else if (e instanceof JsonArraySchema a) {
            out.put("type", "array");
            if (a.items() != null) {
                out.put("items", element(a.items(), depth + 1));
            }
        }
        return out;
    }
}
