package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.pep.Decision;
import java.util.Objects;

/**
 * Thrown in place of a tool's result when Moat denied the call and there is no framework result to
 * carry the refusal (the Java agent guarding a direct call of a tool method). The message is the
 * denial's readable explanation ({@code denied: <why> (<stage>/<code>)}); {@link #decision()} has
 * the stage and stable reason code.
 */
public final class MoatDeniedException extends MoatException {
    private static final long serialVersionUID = 1L;

    private final transient Decision.Deny decision;

    public MoatDeniedException(Decision.Deny decision) {
        super(Objects.requireNonNull(decision, "decision").explain());
        this.decision = decision;
    }

    public Decision.Deny decision() {
        return decision;
    }
}
