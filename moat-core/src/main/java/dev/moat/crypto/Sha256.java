package dev.moat.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** SHA-256 helpers, plain and domain-separated. Thread-safe: each call uses its own digest. */
public final class Sha256 {
    public static final int LENGTH = 32;

    private Sha256() {}

    /** SHA-256 of {@code bytes}. */
    public static byte[] hash(byte[] bytes) {
        return hash(bytes, 0, bytes.length);
    }

    /** SHA-256 of a slice of {@code bytes}. */
    public static byte[] hash(byte[] bytes, int offset, int length) {
        SHA256Digest d = new SHA256Digest();
        d.update(bytes, offset, length);
        byte[] out = new byte[LENGTH];
        d.doFinal(out, 0);
        return out;
    }

    /** SHA-256 of {@code tag || 0x00 || bytes}, without copying {@code bytes}. */
    public static byte[] hash(Domain domain, byte[] bytes) {
        SHA256Digest d = new SHA256Digest();
        byte[] prefix = domain.prefixBytes();
        d.update(prefix, 0, prefix.length);
        d.update(bytes, 0, bytes.length);
        byte[] out = new byte[LENGTH];
        d.doFinal(out, 0);
        return out;
    }
}
