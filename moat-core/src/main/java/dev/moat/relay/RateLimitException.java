package dev.moat.relay;

import dev.moat.MoatException;

/** A shared rate limiter could not decide (its store is unreachable); callers must deny. */
public final class RateLimitException extends MoatException {
    private static final long serialVersionUID = 1L;

    public RateLimitException(String message, Throwable cause) {
        super(message, cause);
    }
}
