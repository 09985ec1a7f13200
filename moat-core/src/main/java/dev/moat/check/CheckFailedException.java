package dev.moat.check;

import dev.moat.MoatException;

/** Thrown by {@link Checked#orThrow()} when a caller insists on a value that failed its checks. */
public final class CheckFailedException extends MoatException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    public CheckFailedException(Failure failure) {
        super(failure.toString());
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public ReasonCode code() {
        return failure.code();
    }
}
