package dev.moat.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The one place where MACs, hashes and handles are compared: in time independent of content. */
public final class ConstantTime {
    private ConstantTime() {}

    /** True when both arrays are non-null and equal; time depends only on the lengths. */
    public static boolean equal(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a, b);
    }

    /** Constant-time comparison of two strings' UTF-8 bytes. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
