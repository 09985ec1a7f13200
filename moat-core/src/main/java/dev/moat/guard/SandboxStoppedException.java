package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.sandbox.SandboxFailure;
import dev.moat.sandbox.SandboxOutcome;

/**
 * A sandboxed tool was allowed but the sandbox stopped it (fuel, memory, deadline, output, I/O,
 * trap, non-zero exit): the outcome of {@link Guard#callSandboxed} in a {@link GuardedCall.Failed}.
 */
public final class SandboxStoppedException extends MoatException {
    private static final long serialVersionUID = 1L;
    private final transient SandboxOutcome.Stopped outcome;

    public SandboxStoppedException(SandboxOutcome.Stopped outcome) {
        super("sandbox stopped the tool: " + outcome.reason().code() + (outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")"));
        this.outcome = outcome;
    }

    public SandboxFailure reason() {
        return outcome.reason();
    }

    public SandboxOutcome.Stopped outcome() {
        return outcome;
    }
}
