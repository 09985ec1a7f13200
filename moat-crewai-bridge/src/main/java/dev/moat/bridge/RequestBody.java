package dev.moat.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import java.util.Iterator;
import java.util.Set;

/**
 * One request's JSON object, read with core's {@link StrictJson} (size cap, depth cap, duplicate
 * keys, trailing bytes and floats refused) and a strict schema: fields outside {@code allowed} are
 * refused, each accessor checks presence, type and length. Every problem is an {@link ApiError}.
 */
final class RequestBody {
    private final ObjectNode node;

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    static RequestBody parse(byte[] bytes, int maxBytes, Set<String> allowed) {
        ObjectNode node;
        try {
            node = StrictJson.parseObject(bytes, maxBytes, "request");
        } catch (Rejection r) {
            throw new ApiError(r.failure().code() == dev.moat.check.ReasonCode.OVERSIZED ? 413 : 400,
                    r.failure().code().code(), r.failure().detail());
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw ApiError.malformed("unknown field '" + clip(n) + "'");
            }
        }
        return new RequestBody(node);
    }

    String text(String name, int maxLength) {
        String s = optionalText(name, maxLength);
        if (s == null) {
            throw ApiError.malformed("field '" + name + "' is required");
        }
        return s;
    }

    String optionalText(String name, int maxLength) {
        String s = optionalTextOrEmpty(name, maxLength);
        if (s != null && s.isEmpty()) {
            throw ApiError.malformed("field '" + name + "' must be 1 to " + maxLength + " characters");
        }
        return s;
    }

    /** As {@link #optionalText} but the empty string is allowed (a tool result may be empty). */
    String optionalTextOrEmpty(String name, int maxLength) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.malformed("field '" + name + "' must be a string");
        }
        String s = v.textValue();
        if (s.length() > maxLength) {
            throw ApiError.malformed("field '" + name + "' must be at most " + maxLength + " characters");
        }
        return s;
    }

    ObjectNode object(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isObject()) {
            throw ApiError.malformed("field '" + name + "' must be a JSON object");
        }
        return (ObjectNode) v;
    }

    long number(String name, long min, long max) {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiError.malformed("field '" + name + "' must be an integer from " + min + " to " + max);
        }
        return v.longValue();
    }

    JsonNode raw(String name) {
        return node.get(name);
    }

    static String clip(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
