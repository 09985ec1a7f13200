package dev.moat.langchain4j.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Tool arguments as the one byte string that is signed, checked, approved and run: a JSON object
 * parsed strictly (duplicate keys, trailing tokens and comments refused) and written back with
 * sorted keys and no whitespace. The tool receives exactly these bytes, so no argument can be
 * read one way by the checks and another way by the tool.
 */
public final class CanonicalArguments {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private CanonicalArguments() {}

    /** The canonical bytes of {@code arguments}; blank means no arguments ({@code {}}). */
    public static byte[] canonicalise(String arguments) throws MalformedArguments {
        if (arguments == null || arguments.isBlank()) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        JsonNode node;
        try {
            node = JSON.readTree(arguments);
        } catch (JsonProcessingException e) {
            throw new MalformedArguments("arguments are not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedArguments("arguments must be a JSON object");
        }
        try {
            return JSON.writeValueAsBytes(sorted(node));
        } catch (JsonProcessingException e) {
            throw new MalformedArguments("arguments could not be encoded");
        }
    }

    /** Parses canonical bytes produced by {@link #canonicalise}. */
    public static ObjectNode parse(byte[] canonical) throws MalformedArguments {
        try {
            return (ObjectNode) JSON.readTree(canonical);
        } catch (java.io.IOException | ClassCastException e) {
            throw new MalformedArguments("arguments are not a JSON object");
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            Collections.sort(names);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : names) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                out.add(sorted(element));
            }
            return out;
        }
        return node;
    }

    /** The arguments could not be read as a JSON object. */
    public static final class MalformedArguments extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedArguments(String message) {
            super(message, null, false, false);
        }
    }
}
