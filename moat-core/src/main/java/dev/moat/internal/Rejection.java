package dev.moat.internal;

import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;

/**
 * Internal control flow for parsers and verifiers: thrown deep inside, converted to a
 * {@link dev.moat.check.Checked.Failed} at the public boundary. No stack trace (cheap, and it never
 * reaches users).
 */
public final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public Rejection(ReasonCode code, String detail) {
        super(detail, null, false, false);
        this.failure = Failure.of(code, detail);
    }

    public Failure failure() {
        return failure;
    }

    public static Rejection malformed(String detail) {
        return new Rejection(ReasonCode.MALFORMED, detail);
    }
}
