package dev.moat.replay;

import dev.moat.MoatException;

/** A sequence store could not read or persist its state; callers must deny. */
public final class SequenceStoreException extends MoatException {
    private static final long serialVersionUID = 1L;

    public SequenceStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public SequenceStoreException(String message) {
        super(message);
    }
}
