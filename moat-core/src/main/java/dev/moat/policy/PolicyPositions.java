package dev.moat.policy;

import java.util.Map;
import java.util.Optional;

/**
 * Where each key and list item of a policy file is, as {@code line:column} (1-based), by the field
 * path errors use: {@code grants[1]}, {@code grants[1].issuer}, {@code router.rate_limit} (YAML
 * names as written). Collected by {@link PolicyReader} in the same pass that reads the file; a file
 * that does not parse has no positions (the parse error carries its own). A path with no entry of
 * its own takes the position of its nearest enclosing one.
 */
public final class PolicyPositions {
    /** A file without positions. */
    public static final PolicyPositions NONE = new PolicyPositions(Map.of());

    private final Map<String, String> at;

    private PolicyPositions(Map<String, String> at) {
        this.at = at;
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
}
