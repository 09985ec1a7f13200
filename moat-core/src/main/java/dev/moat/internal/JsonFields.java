package dev.moat.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Base64Url;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed, strict access to the fields of one JSON object: unknown fields are refused up front,
 * required fields must be present with the right type. Every problem is a {@link Rejection}
 * naming the object and field.
 */
public final class JsonFields {
    private final ObjectNode node;
    private final String what;

    private JsonFields(ObjectNode node, String what) {
        this.node = node;
        this.what = what;
    }

    /** Wraps {@code node}, refusing any field not in {@code allowed}. */
    public static JsonFields of(JsonNode node, String what, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw Rejection.malformed(what + ": expected an object");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw Rejection.malformed(what + ": unknown field '" + clip(n) + "'");
            }
        }
        return new JsonFields((ObjectNode) node, what);
    }

    public boolean has(String field) {
        JsonNode n = node.get(field);
        return n != null && !n.isNull();
    }

    public JsonNode node(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            throw Rejection.malformed(what + ": missing field '" + field + "'");
        }
        return n;
    }

    public String string(String field) {
        JsonNode n = node(field);
        if (!n.isTextual()) {
            throw Rejection.malformed(what + ": field '" + field + "' must be a string");
        }
        return n.textValue();
    }

    public String optionalString(String field) {
        return has(field) ? string(field) : null;
    }

    public long integer(String field) {
        JsonNode n = node(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw Rejection.malformed(what + ": field '" + field + "' must be an integer");
        }
        return n.longValue();
    }

    public Long optionalInteger(String field) {
        return has(field) ? integer(field) : null;
    }

    public boolean bool(String field) {
        JsonNode n = node(field);
        if (!n.isBoolean()) {
            throw Rejection.malformed(what + ": field '" + field + "' must be a boolean");
        }
        return n.booleanValue();
    }

    public byte[] bytes(String field, int exactLength) {
        byte[] b;
        try {
            b = Base64Url.decode(string(field));
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed(what + ": field '" + field + "' is not base64url");
        }
        if (exactLength >= 0 && b.length != exactLength) {
            throw Rejection.malformed(what + ": field '" + field + "' must be " + exactLength + " bytes, got " + b.length);
        }
        return b;
    }

    public Instant instant(String field) {
        String s = string(field);
        try {
            return TimeFormat.parse(s);
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw Rejection.malformed(what + ": field '" + field + "' is not an RFC 3339 UTC time");
        }
    }

    public List<JsonNode> array(String field, int maxItems) {
        JsonNode n = node(field);
        if (!n.isArray()) {
            throw Rejection.malformed(what + ": field '" + field + "' must be an array");
        }
        if (n.size() > maxItems) {
            throw new Rejection(dev.moat.check.ReasonCode.OVERSIZED, what + ": field '" + field + "' has more than " + maxItems + " items");
        }
        List<JsonNode> out = new ArrayList<>(n.size());
        n.forEach(out::add);
        return out;
    }

    public List<String> strings(String field, int maxItems) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(field, maxItems)) {
            if (!n.isTextual()) {
                throw Rejection.malformed(what + ": field '" + field + "' must hold strings");
            }
            out.add(n.textValue());
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
