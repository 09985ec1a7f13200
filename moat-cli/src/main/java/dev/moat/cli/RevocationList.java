package dev.moat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The home's revocation list, {@code revoked.json}: {@code {"agents":[...],"tokens":[...],"v":1}}.
 * {@code token verify} consults it at every link of a chain.
 */
public final class RevocationList implements RevocationCheck {
    private static final long MAX_BYTES = 16 << 20;
    private final Path file;
    private final TreeSet<String> agents = new TreeSet<>();
    private final TreeSet<String> tokens = new TreeSet<>();

    RevocationList(Path file) {
        this.file = file;
        JsonNode node = Json.readFileOrNull(file, MAX_BYTES);
        if (node == null) {
            return;
        }
        if (node.path("v").asInt() != 1 || !node.path("agents").isArray() || !node.path("tokens").isArray()) {
            throw CliException.denied("malformed", file + " is not a version 1 revocation list");
        }
        node.get("agents").forEach(a -> agents.add(a.asText()));
        node.get("tokens").forEach(t -> tokens.add(t.asText()));
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return agents.contains(agent.value());
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return tokens.contains(tokenId);
    }

    /** Returns false when the token was already revoked. */
    public boolean revokeToken(String tokenId) {
        boolean added = tokens.add(tokenId);
        if (added) {
            save();
        }
        return added;
    }

    /** Returns false when the agent was already revoked. */
    public boolean revokeAgent(AgentId agent) {
        boolean added = agents.add(agent.value());
        if (added) {
            save();
        }
        return added;
    }

    public Path file() {
        return file;
    }

    private void save() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("v", 1);
        doc.put("agents", agents);
        doc.put("tokens", tokens);
        new Home(file.getParent()).create();
        CliFiles.writeOwnerOnly(file, Json.pretty(doc));
    }
}
