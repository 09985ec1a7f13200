package dev.moat.policy;

import dev.moat.MoatException;

/** A policy file could not be read or is invalid; the message names the file and position. */
public final class PolicyException extends MoatException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }
}
