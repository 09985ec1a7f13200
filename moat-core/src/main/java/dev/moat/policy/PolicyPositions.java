package dev.moat.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each key and list item of a policy file is, as {@code line:column} (1-based), by the field
 * path errors use: {@code grants[1]}, {@code grants[1].issuer}, {@code router.rate_limit} (YAML
 * names as written). Built once from the file's bytes with Jackson's YAML parser; a file that does
 * not parse has no positions (the parse error carries its own). A path with no entry of its own
 * takes the position of its nearest enclosing one.
 */
public final class PolicyPositions {
    /** A file without positions. */
    public static final PolicyPositions NONE = new PolicyPositions(Map.of());
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final int MAX_ENTRIES = 100_000;

    private final Map<String, String> at;

    private PolicyPositions(Map<String, String> at) {
        this.at = at;
    }

    /** The positions of {@code bytes}; {@link #NONE} when they are not YAML. */
    public static PolicyPositions of(byte[] bytes) {
        Map<String, String> at = new HashMap<>();
        try (JsonParser p = YAML.createParser(bytes)) {
            JsonToken t;
            while ((t = p.nextToken()) != null && at.size() < MAX_ENTRIES) {
                JsonStreamContext ctx = p.getParsingContext();
                if (t == JsonToken.FIELD_NAME) {
                    at.putIfAbsent(path(ctx), where(p.currentTokenLocation()));
                } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    JsonStreamContext parent = ctx.getParent();
                    if (parent != null && parent.inArray()) {
                        at.putIfAbsent(path(parent), where(p.currentTokenLocation()));
                    }
                } else if (t.isScalarValue() && ctx.inArray()) {
                    at.putIfAbsent(path(ctx), where(p.currentTokenLocation()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
        return new PolicyPositions(Map.copyOf(at));
    }

    /** Positions already collected ({@link PolicyReader} collects them while it reads the file). */
    static PolicyPositions of(Map<String, String> at) {
        return new PolicyPositions(Map.copyOf(at));
    }

    /** {@code line:column} of {@code field} or of its nearest enclosing key or item. */
    public Optional<String> of(String field) {
        String f = field;
        while (f != null && !f.isEmpty()) {
            String p = at.get(f);
            if (p != null) {
                return Optional.of(p);
            }
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            f = cut <= 0 ? null : f.substring(0, cut);
        }
        return Optional.empty();
    }

    /** The keys written directly under the mapping at {@code field} ({@code ""} for the top level). */
    public java.util.Set<String> keysUnder(String field) {
        String prefix = field.isEmpty() ? "" : field + ".";
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (String path : at.keySet()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                if (!rest.isEmpty() && rest.indexOf('.') < 0 && rest.indexOf('[') < 0) {
                    keys.add(rest);
                }
            }
        }
        return keys;
    }

    /** {@code grants[1].issuer} for the context Jackson is in. */
    private static String path(JsonStreamContext ctx) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }

    private static String where(JsonLocation loc) {
        return loc.getLineNr() + ":" + loc.getColumnNr();
    }
}
