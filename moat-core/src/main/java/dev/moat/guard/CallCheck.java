package dev.moat.guard;

import dev.moat.check.Failure;
import dev.moat.pep.Decision;

/**
 * A check that {@link Guard#call(ToolCall, ToolBody)} (as {@link ToolCall#check()}) runs after
 * the PEP allowed a call and before the tool body: argument constraints, human approval. It sees
 * the authenticated message, so it judges exactly the signed arguments.
 *
 * <p>Return {@code null} to let the call run, or the {@link Failure} that denies it (typically
 * {@code ARGUMENT_REJECTED} or {@code NOT_APPROVED}); the denial is audited at stage
 * {@code guard}. Throwing also denies, as {@code INTERNAL}: the tool body never runs.
 */
@FunctionalInterface
public interface CallCheck {
    /** Lets every allowed call run. */
    CallCheck NONE = allow -> null;

    Failure check(Decision.Allow allow) throws Exception;
}
