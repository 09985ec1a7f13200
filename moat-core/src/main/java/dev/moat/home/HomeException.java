package dev.moat.home;

import dev.moat.MoatException;

/** A home file (trust store, revocation list) could not be read, parsed or written. */
public final class HomeException extends MoatException {
    private static final long serialVersionUID = 1L;

    public HomeException(String message) {
        super(message);
    }

    public HomeException(String message, Throwable cause) {
        super(message, cause);
    }
}
