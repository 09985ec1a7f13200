package dev.moat.json;

import dev.moat.MoatException;

/**
 * A value or JSON text that has no canonical form, with the typed reason. Thrown by
 * {@link CanonicalJson#canonicalise} for untrusted text (an adapter turns it into a denial, code
 * {@code argument_rejected}) and by {@link CanonicalJson#encode} for a value with no JSON form. The
 * message names the problem and a character offset, never the content: tool arguments may hold
 * personal data.
 */
public final class CanonicalJsonException extends MoatException {
    private static final long serialVersionUID = 1L;
    private final JsonProblem problem;

    public CanonicalJsonException(JsonProblem problem, String detail) {
        super(problem.code() + ": " + detail);
        this.problem = problem;
    }

    /** The typed reason. */
    public JsonProblem problem() {
        return problem;
    }
}
