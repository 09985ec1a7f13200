package dev.moat.langchain4j.internal;

import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.json.JsonProblem;
import java.nio.charset.StandardCharsets;

/**
 * Tool arguments as the one byte string that is signed, checked, approved and run: core's
 * {@link CanonicalJson} form of the model's JSON object (sorted keys, no whitespace, numbers as the
 * model wrote them, a lone surrogate refused). The tool receives exactly these bytes, so no
 * argument can be read one way by the checks and another way by the tool. This class only maps
 * LangChain4j's conventions (blank means no arguments) and core's typed error onto the executor.
 */
public final class CanonicalArguments {
    private static final byte[] NO_ARGUMENTS = "{}".getBytes(StandardCharsets.UTF_8);
    private CanonicalArguments() {}

    /** The canonical bytes of {@code arguments}; blank means no arguments ({@code {}}). */
    public static byte[] canonicalise(String arguments) throws MalformedArguments {
        if (arguments == null || arguments.isBlank()) {
            return NO_ARGUMENTS.clone();
        }
        try {
            return CanonicalJson.canonicaliseObject(arguments, JsonLimits.DEFAULT);
        } catch (CanonicalJsonException e) {
            throw new MalformedArguments(e.problem());
        }
    }

    /** The arguments have no canonical form; the message names the problem, never the content. */
    public static final class MalformedArguments extends Exception {
        private static final long serialVersionUID = 1L;
        private final JsonProblem problem;

        MalformedArguments(JsonProblem problem) {
            super("arguments refused: " + problem.code(), null, false, false);
            this.problem = problem;
        }

        /** Core's typed reason. */
        public JsonProblem problem() {
            return problem;
        }
    }
}
