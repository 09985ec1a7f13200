package dev.moat.json;

import dev.moat.MoatException;

/**
 * A value or JSON text that has no canonical form, with the typed reason. The message names the
 * problem and where it is (a path such as {@code $.to[2]} or a character offset), never the
 * content: tool arguments may hold personal data.
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
