package dev.moat.secrets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret's value in a {@code char[]} that only this package can read. No {@code equals},
 * {@code hashCode} or revealing {@code toString}; {@link #destroy()} overwrites it. Values leave
 * this holder only at the point of use (an outgoing header, a child process's environment), where
 * the JDK API forces a {@code String}.
 */
public final class SecretValue {
    private final char[] chars;
    private volatile boolean destroyed;

    /** Takes ownership of {@code chars} (no copy). */
    SecretValue(char[] chars) {
        this.chars = chars;
    }

    public int length() {
        return chars.length;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Overwrites the value with zeros; later uses fail. */
    public void destroy() {
        destroyed = true;
        Arrays.fill(chars, '\0');
    }

    /** The live array, for in-package matching only. */
    char[] chars() {
        requireAlive();
        return chars;
    }

    /** A fresh UTF-8 copy; the caller wipes it. */
    byte[] utf8() {
        requireAlive();
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        if (bb.hasArray()) {
            Arrays.fill(bb.array(), (byte) 0);
        }
        return out;
    }

    /** The value as a String, only for a JDK API that takes nothing else, at the point of use. */
    String revealForInjection() {
        requireAlive();
        return new String(chars);
    }

    boolean containsControl(boolean allowNewlines) {
        for (char c : chars) {
            if (c == '\0' || (!allowNewlines && (c == '\r' || c == '\n'))) {
                return true;
            }
        }
        return false;
    }

    private void requireAlive() {
        if (destroyed) {
            throw new IllegalStateException("secret value destroyed");
        }
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
