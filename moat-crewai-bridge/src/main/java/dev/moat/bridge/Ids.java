package dev.moat.bridge;

import dev.moat.crypto.Base64Url;
import java.security.SecureRandom;

/** Unguessable identifiers: 128 random bits, base64url, with a readable prefix. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String random(String prefix) {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return prefix + Base64Url.encode(b);
    }

    static byte[] secret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }
}
