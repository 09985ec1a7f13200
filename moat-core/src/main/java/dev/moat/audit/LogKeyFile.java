package dev.moat.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code <log>.key} sidecar: the log's public key as one canonical JSON line
 * {@code {"agent":"agent:...","publicKey":"<base64url>"}}. It is self-asserted: whoever can rewrite
 * the log can rewrite this file, so verifiers should prefer a key they hold themselves.
 */
final class LogKeyFile {
    static final int MAX_BYTES = 4096;
    private static final Set<String> FIELDS = Set.of("agent", "publicKey");

    private LogKeyFile() {}

    static byte[] encode(Ed25519PublicKey key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", AgentId.of(key).value());
        m.put("publicKey", key.toBase64Url());
        return (CanonicalJson.encodeToString(m) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads and checks the key file; throws {@link Rejection} if it is malformed, {@link IOException} if unreadable. */
    static Ed25519PublicKey read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = dev.moat.internal.BoundedFiles.read(file, MAX_BYTES);
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw Rejection.malformed("key file: " + e.getMessage());
        }
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw Rejection.malformed("key file: not one terminated line");
        }
        byte[] line = Arrays.copyOf(bytes, bytes.length - 1);
        ObjectNode node = StrictJson.parseObject(line, MAX_BYTES, "key file");
        JsonFields f = JsonFields.of(node, "key file", FIELDS);
        Ed25519PublicKey key;
        AgentId id;
        try {
            key = Ed25519PublicKey.of(f.bytes("publicKey", Ed25519PublicKey.LENGTH));
            id = AgentId.parse(f.string("agent"));
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("key file: invalid key or agent id");
        }
        if (!id.matches(key)) {
            throw Rejection.malformed("key file: agent id does not belong to the key");
        }
        if (!Arrays.equals(encode(key), bytes)) {
            throw Rejection.malformed("key file: not in canonical form");
        }
        return key;
    }
}
