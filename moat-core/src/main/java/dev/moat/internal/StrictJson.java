package dev.moat.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.check.ReasonCode;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses untrusted JSON with limits: a byte cap checked before parsing, bounded nesting, duplicate
 * keys refused, trailing content refused, integers as longs (beyond a long refused), floats refused
 * by {@link #toPlain}. Every failure is a {@link Rejection}; no Jackson exception escapes. The tree
 * is built from jackson-core's streaming parser with databind's node factory, without databind's
 * mapper (whose set-up costs start-up time: key files and the audit log's tail are read at start).
 */
public final class StrictJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxStringLength(4 * 1024 * 1024)
                    .maxNumberLength(20)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StrictJson() {}

    /** The value in {@code bytes}, or {@code null} when there is none; throws on trailing content. */
    private static JsonNode readTree(byte[] bytes) throws java.io.IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode node = value(p, first);
            if (p.nextToken() != null) {
                throw new java.io.IOException("trailing content after the JSON value");
            }
            return node;
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws java.io.IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    a.add(value(p, i));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return NODES.numberNode(p.getLongValue()); // beyond a long: an error, as with USE_LONG_FOR_INTS
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new java.io.IOException("unexpected token " + t);
        }
    }

    /** Parses {@code bytes} (at most {@code maxBytes}) to an object node. */
    public static ObjectNode parseObject(byte[] bytes, int maxBytes, String what) {
        if (bytes == null) {
            throw Rejection.malformed(what + ": missing");
        }
        if (bytes.length > maxBytes) {
            throw new Rejection(ReasonCode.OVERSIZED, what + ": " + bytes.length + " bytes exceeds limit " + maxBytes);
        }
        JsonNode node;
        try {
            node = readTree(bytes);
        } catch (Exception e) {
            throw Rejection.malformed(what + ": invalid JSON (" + summary(e) + ")");
        }
        if (node == null || !node.isObject()) {
            throw Rejection.malformed(what + ": expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses and also requires that {@code bytes} are exactly the canonical encoding. */
    public static ObjectNode parseCanonicalObject(byte[] bytes, int maxBytes, String what) {
        ObjectNode node = parseObject(bytes, maxBytes, what);
        if (!isCanonicalEncoding(toPlain(node), bytes)) {
            throw Rejection.malformed(what + ": not canonical JSON");
        }
        return node;
    }

    /**
     * True when {@code bytes} are exactly the canonical encoding of {@code plain}. A decoded value
     * with no canonical form (a lone surrogate from an escape) is not canonical: false, not an error.
     */
    public static boolean isCanonicalEncoding(Object plain, byte[] bytes) {
        try {
            return java.util.Arrays.equals(CanonicalJson.encode(plain), bytes);
        } catch (CanonicalJsonException e) {
            return false;
        }
    }

    /** Converts a tree to plain maps, lists, strings, longs, booleans and nulls. */
    public static Object toPlain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> m = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), toPlain(e.getValue()));
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            for (JsonNode n : (ArrayNode) node) {
                l.add(toPlain(n));
            }
            return l;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        throw Rejection.malformed("unsupported JSON value (only integers, strings, booleans, null, objects, arrays)");
    }

    private static String summary(Exception e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.length() > 160 ? m.substring(0, 160) : m;
    }
}
