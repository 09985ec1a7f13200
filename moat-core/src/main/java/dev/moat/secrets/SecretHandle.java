package dev.moat.secrets;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An opaque reference to a secret, safe to show to a model: {@code moat-secret:} followed by 32
 * random bytes in base64url. A handle is bound to the agent it was issued to; presenting it as any
 * other agent is denied. {@link #equals} compares in constant time.
 */
public record SecretHandle(String value) {
    public static final String PREFIX = "moat-secret:";
    static final int RANDOM_BYTES = 32;
    static final int TEXT_LENGTH = PREFIX.length() + 43;

    public SecretHandle {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("not a secret handle");
        }
    }

    public static SecretHandle parse(String text) {
        return new SecretHandle(text);
    }

    /** True for {@code moat-secret:} followed by exactly 43 base64url characters. */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != TEXT_LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        try {
            return Base64Url.decode(text.substring(PREFIX.length())).length == RANDOM_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The lookup key: base64url SHA-256 of the handle text. */
    String lookupKey() {
        return lookupKey(value);
    }

    static String lookupKey(String text) {
        return Base64Url.encode(Sha256.hash(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A short, non-reversible tag for logs. */
    public String fingerprint() {
        return lookupKey().substring(0, 12);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretHandle h && ConstantTime.equal(h.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
