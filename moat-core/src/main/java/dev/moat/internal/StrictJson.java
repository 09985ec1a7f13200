package dev.moat.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * keys refused, trailing content refused, floats refused. Every failure is a {@link Rejection};
 * no Jackson exception escapes.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(4 * 1024 * 1024)
                            .maxNumberLength(20)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private StrictJson() {}

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
            node = MAPPER.readTree(bytes);
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

    /** The shared mapper, for trusted (locally produced) documents such as config files. */
    public static ObjectMapper mapper() {
        return MAPPER;
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
