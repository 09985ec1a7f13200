package dev.moat.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.json.JsonNumber;
import dev.moat.json.JsonProblem;
import java.util.Map;
import java.util.Set;

/**
 * One request's JSON object, read with core's {@link CanonicalJson#parse} (byte cap before
 * parsing, nesting over 32, duplicate keys, trailing bytes, lone surrogates and number literals
 * over 100 characters refused) and a strict schema: fields outside {@code allowed} are refused,
 * each accessor checks presence, type and length. Every problem is an {@link ApiError}.
 *
 * <p>Why not a Jackson tree: it holds numbers as {@code double} or {@code long}, so tool arguments
 * would be judged and signed with another value or spelling than the client sent ({@code 10000.0}
 * became {@code 1E+4}; {@code 12345678901234567891} was refused or rounded). Here a number stays a
 * {@link JsonNumber}, its literal as written, and {@link #canonicalObject} hands the signer exactly
 * those literals.
 */
final class RequestBody {
    private static final int MAX_DEPTH = 32;

    private final Map<?, ?> members;

    private RequestBody(Map<?, ?> members) {
        this.members = members;
    }

    static RequestBody parse(byte[] bytes, int maxBytes, Set<String> allowed) {
        if (bytes == null) {
            throw ApiError.malformed("request: missing");
        }
        Object value;
        try {
            value = CanonicalJson.parse(bytes, new JsonLimits(maxBytes, MAX_DEPTH, JsonLimits.DEFAULT.maxNumberLength()));
        } catch (CanonicalJsonException e) {
            throw e.problem() == JsonProblem.OVERSIZED
                    ? new ApiError(413, "oversized", "request: " + e.getMessage())
                    : ApiError.malformed("request: " + e.getMessage());
        }
        if (!(value instanceof Map<?, ?> members)) {
            throw ApiError.malformed("request: expected a JSON object");
        }
        for (Object n : members.keySet()) {
            if (!allowed.contains(n)) {
                throw ApiError.malformed("unknown field '" + clip((String) n) + "'");
            }
        }
        return new RequestBody(members);
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
        Object v = members.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ApiError.malformed("field '" + name + "' must be a string");
        }
        if (s.length() > maxLength) {
            throw ApiError.malformed("field '" + name + "' must be at most " + maxLength + " characters");
        }
        return s;
    }

    /** The member {@code name}, which must be a JSON object, as plain values (numbers as {@link JsonNumber}). */
    Map<?, ?> object(String name) {
        if (!(members.get(name) instanceof Map<?, ?> m)) {
            throw ApiError.malformed("field '" + name + "' must be a JSON object");
        }
        return m;
    }

    /**
     * The member {@code name}, a JSON object, in canonical form with every number literal as the
     * client wrote it, so what is signed, what the rules judge and what the tool receives are the
     * same bytes.
     */
    byte[] canonicalObject(String name) {
        try {
            return CanonicalJson.encode(object(name));
        } catch (CanonicalJsonException e) { // parse already refused what has no canonical form
            throw ApiError.malformed(name + ": " + e.getMessage());
        }
    }

    /** An integer member: decimal digits only (no fraction, no exponent), within {@code min..max}. */
    long number(String name, long min, long max) {
        Object v = members.get(name);
        long value;
        try {
            if (!(v instanceof JsonNumber n) || !n.literal().matches("-?[0-9]{1,19}")) {
                throw new NumberFormatException();
            }
            value = Long.parseLong(n.literal());
        } catch (NumberFormatException e) {
            throw ApiError.malformed("field '" + name + "' must be an integer from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw ApiError.malformed("field '" + name + "' must be an integer from " + min + " to " + max);
        }
        return value;
    }

    /**
     * The member {@code name} as a Jackson object node (for {@code /v1/verify}, whose inputs are
     * protocol objects and keep {@link StrictJson}'s rules), or null when absent or not an object.
     */
    JsonNode rawObject(String name) {
        if (!(members.get(name) instanceof Map<?, ?> m)) {
            return null;
        }
        try {
            return StrictJson.parseObject(CanonicalJson.encode(m), Integer.MAX_VALUE, name);
        } catch (Rejection r) {
            throw ApiError.malformed(r.failure().detail());
        } catch (CanonicalJsonException e) {
            throw ApiError.malformed(name + ": " + e.getMessage());
        }
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
