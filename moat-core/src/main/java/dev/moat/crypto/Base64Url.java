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
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("base64url: invalid character at " + i);
            }
        }
        if (text.length() % 4 == 1) {
            throw new IllegalArgumentException("base64url: invalid length");
        }
        byte[] out = DECODER.decode(text);
        if (!ENCODER.encodeToString(out).equals(text)) {
            throw new IllegalArgumentException("base64url: non-canonical encoding");
        }
        return out;
    }
}
