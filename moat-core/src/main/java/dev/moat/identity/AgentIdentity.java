package dev.moat.identity;

import dev.moat.crypto.Ed25519PublicKey;
import java.util.Objects;

/** The public half of an agent: name, public key and the id derived from the key. */
public record AgentIdentity(String name, Ed25519PublicKey publicKey, AgentId id) {
    public AgentIdentity {
        AgentNames.requireValid(name);
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(id, "id");
        if (!id.matches(publicKey)) {
            throw new IllegalArgumentException("agent id does not belong to the public key");
        }
    }

    public AgentIdentity(String name, Ed25519PublicKey publicKey) {
        this(name, publicKey, AgentId.of(publicKey));
    }
}
