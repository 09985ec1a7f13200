package dev.moat.crypto;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validated public keys by their encoding, so a key seen again (an issuer on every chain, a
 * sender on every message) skips point decompression and validation. Bounded: when full it is
 * cleared, which costs only re-validation. Only valid keys are stored.
 */
final class KeyCache {
    private static final int MAX = 4096;
    private static final ConcurrentHashMap<ByteBuffer, Ed25519PublicKey> KEYS = new ConcurrentHashMap<>();

    private KeyCache() {}

    static Ed25519PublicKey get(byte[] encoded) {
        return KEYS.get(ByteBuffer.wrap(encoded));
    }

    static void put(byte[] encoded, Ed25519PublicKey key) {
        if (KEYS.size() >= MAX) {
            KEYS.clear();
        }
        KEYS.put(ByteBuffer.wrap(encoded.clone()), key);
    }
}
