package dev.moat.secrets;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A copy of a tool's exception with every message in its cause chain and its suppressed
 * exceptions redacted, so that what a tool throws (a failing {@code curl} printing its
 * {@code Authorization} header) reaches neither the model nor a log with a secret in it. The copy
 * keeps the original class name ({@link #originalType()}, also in {@link #toString()}) and stack
 * traces; it holds no reference to the original.
 */
public final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_DEPTH = 16;

    private final String originalType;

    private RedactedException(String originalType, String message, RedactedException cause) {
        super(message, cause, true, true);
        this.originalType = originalType;
    }

    /** The redacted copy of {@code error} and its causes; {@code redactor} decides what is secret. */
    public static RedactedException of(Throwable error, Redactor redactor) {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(redactor, "redactor");
        return copy(error, redactor, new IdentityHashMap<>(), 0);
    }

    /** The redacted message of {@code error} alone ({@code null} stays {@code null}). */
    public static String message(Throwable error, Redactor redactor) {
        return redactor.redact(error.getMessage());
    }

    /** The class name of the exception this is a copy of. */
    public String originalType() {
        return originalType;
    }

    private static RedactedException copy(Throwable t, Redactor r, Map<Throwable, Boolean> seen, int depth) {
        seen.put(t, Boolean.TRUE);
        Throwable c = t.getCause();
        RedactedException cause = c == null || seen.containsKey(c) || depth >= MAX_DEPTH ? null : copy(c, r, seen, depth + 1);
        RedactedException out = new RedactedException(t.getClass().getName(), r.redact(t.getMessage()), cause);
        out.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            if (!seen.containsKey(s) && depth < MAX_DEPTH) {
                out.addSuppressed(copy(s, r, seen, depth + 1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        String m = getMessage();
        return m == null ? originalType : originalType + ": " + m;
    }
}
