package dev.moat;

import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deterministic keys (seed = SHA-256 of "moat-test-seed:" + name) and a fixed "now" for tests and vectors. */
public final class TestKeys {
    public static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private TestKeys() {}

    public static byte[] seed(String name) {
        return Sha256.hash(("moat-test-seed:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public static Ed25519PrivateKey key(String name) {
        return Ed25519PrivateKey.fromSeed(seed(name));
    }

    public static AgentKeypair agent(String name) {
        return AgentKeypair.of(name, key(name));
    }

    public static Clock clockAt(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    public static Clock clock() {
        return clockAt(NOW);
    }
}
