package dev.moat.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, validated on construction (a point on the curve, not of small order).
 * The decoded point is kept, so repeated verifications with the same key skip point decompression.
 * Immutable and thread-safe.
 */
public final class Ed25519PublicKey {
    public static final int LENGTH = Ed25519.PUBLIC_KEY_SIZE;
    public static final int SIGNATURE_LENGTH = Ed25519.SIGNATURE_SIZE;

    private final byte[] encoded;
    private final Ed25519.PublicPoint point;

    private Ed25519PublicKey(byte[] encoded, Ed25519.PublicPoint point) {
        this.encoded = encoded;
        this.point = point;
    }

    /**
     * Parses a 32-byte encoded key.
     *
     * @throws IllegalArgumentException if the length is wrong or the point is invalid
     */
    public static Ed25519PublicKey of(byte[] encoded) {
        if (encoded == null || encoded.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be " + LENGTH + " bytes");
        }
        Ed25519PublicKey cached = KeyCache.get(encoded);
        if (cached != null) {
            return cached;
        }
        Ed25519PublicKey key = decode(encoded);
        KeyCache.put(key.encoded, key);
        return key;
    }

    private static Ed25519PublicKey decode(byte[] encoded) {
        byte[] copy = encoded.clone();
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
        if (point == null) {
            throw new IllegalArgumentException("Ed25519 public key is not a valid curve point");
        }
        return new Ed25519PublicKey(copy, point);
    }

    /** Verifies {@code signature} over {@code domain || 0x00 || message}. Never throws. */
    public boolean verify(Domain domain, byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        return verifyRaw(domain.frame(message), signature);
    }

    /** Verifies a signature over exactly {@code message}, with no domain tag. Never throws. */
    public boolean verifyRaw(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A copy of the 32 encoded bytes. */
    public byte[] bytes() {
        return encoded.clone();
    }

    /** The key as unpadded base64url. */
    public String toBase64Url() {
        return Base64Url.encode(encoded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + toBase64Url() + "]";
    }
}
