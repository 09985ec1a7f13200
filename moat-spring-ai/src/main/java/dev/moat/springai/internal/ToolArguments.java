package dev.moat.springai.internal;

import dev.moat.json.CanonicalJson;
import dev.moat.json.CanonicalJsonException;
import dev.moat.json.JsonLimits;
import dev.moat.json.JsonProblem;
import java.nio.charset.StandardCharsets;

/**
 * A tool call's arguments as the one byte string that is signed, checked and run: core's
 * {@link CanonicalJson} form of the model's JSON object (sorted keys, no whitespace, numbers as
 * the model wrote them). This class only maps Spring AI's convention (blank means no arguments,
 * as {@code DefaultToolCallingManager} does) and core's typed error; it parses nothing itself.
 */
public final class ToolArguments {
    private static final byte[] NO_ARGUMENTS = "{}".getBytes(StandardCharsets.UTF_8);

    private ToolArguments() {}

    /** The canonical bytes, or a {@link Malformed} naming the problem (never the content). */
    public static byte[] canonicalise(String input) throws Malformed {
        if (input == null || input.isBlank()) {
            return NO_ARGUMENTS.clone();
        }
        try {
            return CanonicalJson.canonicaliseObject(input, JsonLimits.DEFAULT);
        } catch (CanonicalJsonException e) {
            throw new Malformed(e.problem());
        }
    }

    /** The arguments have no canonical form. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(JsonProblem problem) {
            super("arguments refused: " + problem.code(), null, false, false);
        }
    }
}
