package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.pep.Decision;
import java.util.Objects;

/**
 * Thrown in place of a tool's result when Moat denied the call and there is no framework result to
 * carry the refusal (the Java agent guarding a direct call of a tool method). The message is the
 * {@link DenialText} a model may read ({@code denied: <sentence> (<stage>/<code>)}, no policy values
 * unless the text is detailed); {@link #decision()} has the stage, the stable reason code and the detail.
 */
public final class MoatDeniedException extends MoatException {
    private static final long serialVersionUID = 1L;

    private final transient Decision.Deny decision;

    /** With the brief text (no policy values). */
    public MoatDeniedException(Decision.Deny decision) {
        this(decision, DenialText.BRIEF);
    }

    /** With {@code text}'s form of the denial, such as the guard's own ({@link Guard#denialText()}). */
    public MoatDeniedException(Decision.Deny decision, DenialText text) {
        super(Objects.requireNonNull(text, "text").forModel(Objects.requireNonNull(decision, "decision")));
        this.decision = decision;
    }

    public Decision.Deny decision() {
        return decision;
    }
}
