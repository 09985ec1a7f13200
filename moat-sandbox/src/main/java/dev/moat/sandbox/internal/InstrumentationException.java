package dev.moat.sandbox.internal;

/** A module that cannot be instrumented safely; the sandbox refuses it as an invalid module. */
public final class InstrumentationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InstrumentationException(String message) {
        super(message);
    }
}
