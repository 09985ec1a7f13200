package dev.moat.crypto;

import java.util.Base64;

/**
 * Base64url without padding, the only byte encoding in Moat's JSON. Decoding is strict: padding,
 * the standard alphabet, whitespace and non-canonical trailing bits are refused, so one byte string
 * has exactly one text form.
 */
public final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes canonical unpadded base64url.
     *
     * @throws IllegalArgumentException if the text is not canonical base64url
     */
    public static byte[] decode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("base64url: missing");
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (value(text.charAt(i)) < 0) {
                throw new IllegalArgumentException("base64url: invalid character at " + i);
            }
        }
        if (n % 4 == 1) {
            throw new IllegalArgumentException("base64url: invalid length");
        }
        // Canonical: the bits of the last character that encode no byte must be zero
        // (2 chars carry 1 byte: 4 spare bits; 3 chars carry 2 bytes: 2 spare bits).
        int spare = n % 4 == 2 ? 0x0f : n % 4 == 3 ? 0x03 : 0;
        if (spare != 0 && (value(text.charAt(n - 1)) & spare) != 0) {
            throw new IllegalArgumentException("base64url: non-canonical encoding");
        }
        return DECODER.decode(text);
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        return c == '_' ? 63 : -1;
    }
}
