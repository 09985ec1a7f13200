package dev.moat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The home's trusted roots, {@code trusted_roots.json}: {@code {"roots":[{"id","name"}],"v":1}}.
 * {@code token verify} accepts a chain only when its root issuer's id is listed here.
 */
public final class TrustStore {
    private static final long MAX_BYTES = 1 << 20;
    private final Path file;
    private final Map<AgentId, String> roots = new TreeMap<>();

    TrustStore(Path file) {
        this.file = file;
        JsonNode node = Json.readFileOrNull(file, MAX_BYTES);
        if (node == null) {
            return;
        }
        if (!node.path("roots").isArray() || node.path("v").asInt() != 1) {
            throw CliException.denied("malformed", file + " is not a version 1 trust store");
        }
        for (JsonNode r : node.get("roots")) {
            String id = r.path("id").asText("");
            if (!AgentId.isWellFormed(id)) {
                throw CliException.denied("malformed", file + " lists an invalid agent id");
            }
            roots.put(AgentId.parse(id), r.path("name").asText(""));
        }
    }

    public Path file() {
        return file;
    }

    public boolean isTrusted(AgentId id) {
        return roots.containsKey(id);
    }

    public Set<AgentId> ids() {
        return Set.copyOf(roots.keySet());
    }

    /** Adds {@code identity}; returns false when it was already trusted. */
    public boolean trust(AgentIdentity identity) {
        if (roots.containsKey(identity.id())) {
            return false;
        }
        roots.put(identity.id(), identity.name());
        save();
        return true;
    }

    /** Removes {@code id}; returns false when it was not trusted. */
    public boolean distrust(AgentId id) {
        if (roots.remove(id) == null) {
            return false;
        }
        save();
        return true;
    }

    private void save() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<AgentId, String> e : roots.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.getKey().value());
            m.put("name", e.getValue());
            list.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("v", 1);
        doc.put("roots", list);
        new Home(file.getParent()).create();
        CliFiles.writeOwnerOnly(file, Json.pretty(doc));
    }

    @Override
    public String toString() {
        return roots.values().stream().collect(Collectors.joining(", "));
    }
}
