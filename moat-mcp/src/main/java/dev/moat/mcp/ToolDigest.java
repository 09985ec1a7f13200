package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonLimits;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The pin of one tool definition: SHA-256 (base64url) over the canonical JSON of
 * {@code {"description", "inputSchema", "name"}} as the server lists them (absent members as
 * {@code null}). What the model reads and what shapes its calls is covered; a change to any of it
 * is a new digest.
 */
final class ToolDigest {
    private ToolDigest() {}

    /**
     * The digest, or {@code null} when the definition cannot be pinned (no string name, or a value
     * canonical JSON cannot hold, such as a non-integer number): such a tool is refused.
     */
    static String of(ObjectNode tool) {
        JsonNode name = tool.get("name");
        if (name == null || !name.isTextual()) {
            return null;
        }
        ObjectNode pinned = JsonNodeFactory.instance.objectNode();
        pinned.set("name", name);
        pinned.set("description", orNull(tool.get("description")));
        pinned.set("inputSchema", orNull(tool.get("inputSchema")));
        try {
            // Canonical JSON of the text keeps every number as the server wrote it (decimals included).
            return Base64Url.encode(Sha256.hash(CanonicalJson.canonicalise(pinned.toString(), JsonLimits.DEFAULT)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static JsonNode orNull(JsonNode node) {
        return node == null ? NullNode.getInstance() : node;
    }
}
