package dev.moat.identity;

import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Ed25519PublicKey;
import java.util.Objects;

/**
 * An agent's signing identity: a human-readable name, an Ed25519 key and the {@link AgentId}
 * derived from it. The private key stays inside; {@link #toString()} shows only name and id.
 * Deliberately no {@code equals}/{@code hashCode}: compare {@link #id()} instead.
 */
public final class AgentKeypair {
    private final String name;
    private final Ed25519PrivateKey privateKey;
    private final AgentId id;

    private AgentKeypair(String name, Ed25519PrivateKey privateKey) {
        this.name = AgentNames.requireValid(name);
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.id = AgentId.of(privateKey.publicKey());
    }

    /** A fresh random identity. */
    public static AgentKeypair generate(String name) {
        return new AgentKeypair(name, Ed25519PrivateKey.generate());
    }

    /** Wraps an existing private key (for example one read from a key file). */
    public static AgentKeypair of(String name, Ed25519PrivateKey privateKey) {
        return new AgentKeypair(name, privateKey);
    }

    public String name() {
        return name;
    }

    public AgentId id() {
        return id;
    }

    public Ed25519PublicKey publicKey() {
        return privateKey.publicKey();
    }

    /** The public half, safe to share. */
    public AgentIdentity identity() {
        return new AgentIdentity(name, publicKey());
    }

    /** Signs {@code domain || 0x00 || bytes} with this agent's key. */
    public byte[] sign(Domain domain, byte[] bytes) {
        return privateKey.sign(domain, bytes);
    }

    /** The private key, for key-file writers; prefer {@link #sign}. */
    Ed25519PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "AgentKeypair[name=" + name + ", id=" + id + "]";
    }
}
