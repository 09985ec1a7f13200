package dev.moat.bench;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * The baseline every signing benchmark compares against: Bouncy Castle's low-level Ed25519 over a
 * fixed message with a fresh key, exactly as an application would call it (no key caching).
 */
final class RawEd25519 {
    private final byte[] seed = new byte[32];
    private final byte[] publicKey = new byte[32];
    private final byte[] message;
    private final byte[] signature = new byte[64];

    RawEd25519(byte[] message) {
        this.message = message.clone();
        new SecureRandom().nextBytes(seed);
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        Ed25519.sign(seed, 0, publicKey, 0, this.message, 0, this.message.length, signature, 0);
    }

    byte[] sign() {
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    boolean verify() {
        return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    }
}
