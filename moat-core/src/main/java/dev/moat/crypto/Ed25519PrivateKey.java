package dev.moat.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (the 32-byte seed) with its public key. The seed never leaves this object
 * except through {@link #exportSeed(InsecureKeyExport)}, which is greppable on purpose. No
 * {@code equals}, {@code hashCode} or revealing {@code toString}.
 */
public final class Ed25519PrivateKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final byte[] publicBytes;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed) {
        this.seed = seed;
        this.publicBytes = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, publicBytes, 0);
        this.publicKey = Ed25519PublicKey.of(publicBytes);
    }

    /** A fresh key from a {@link SecureRandom}. */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
        Ed25519.generatePrivateKey(RANDOM, seed);
        return new Ed25519PrivateKey(seed);
    }

    /** Rebuilds a key from its 32-byte seed (the array is copied). */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 seed must be " + Ed25519.SECRET_KEY_SIZE + " bytes");
        }
        return new Ed25519PrivateKey(seed.clone());
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** Signs {@code domain || 0x00 || message}. */
    public byte[] sign(Domain domain, byte[] message) {
        return signRaw(domain.frame(message));
    }

    /** Signs exactly {@code message}, with no domain tag (for baselines and interop only). */
    public byte[] signRaw(byte[] message) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicBytes, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** A copy of the seed. Only key-file writers should call this. */
    public byte[] exportSeed(InsecureKeyExport access) {
        if (access == null) {
            throw new NullPointerException("access");
        }
        return seed.clone();
    }

    /** Overwrites the seed in memory; the key is unusable afterwards. */
    public void destroy() {
        Arrays.fill(seed, (byte) 0);
    }

    @Override
    public String toString() {
        return "Ed25519PrivateKey[public=" + publicKey.toBase64Url() + "]";
    }
}
