package dev.moat.sandbox.internal;

import dev.moat.sandbox.SandboxFailure;

/**
 * Thrown inside the sandbox (also from host functions, through guest frames) to stop a run with a
 * typed reason. Never escapes {@code Sandbox.run}: it becomes a {@code Stopped} outcome.
 */
public final class RunStopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final SandboxFailure failure;

    public RunStopped(SandboxFailure failure, String detail) {
        super(detail, null, false, false);
        this.failure = failure;
    }

    public SandboxFailure failure() {
        return failure;
    }
}
