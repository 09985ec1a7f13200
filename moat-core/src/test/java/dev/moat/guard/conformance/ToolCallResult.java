package dev.moat.guard.conformance;

import dev.moat.check.ReasonCode;
import java.util.Objects;

/** What an integration reported for one tool call, normalised so every integration is judged alike. */
public sealed interface ToolCallResult {

    /** The tool ran; {@code text} is what the caller (the model) got back. */
    record Ran(String text) implements ToolCallResult {}

    /** Moat refused the call; {@code text} is what the caller read instead of a result. */
    record Denied(ReasonCode code, String text) implements ToolCallResult {
        public Denied {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The tool ran and failed; {@code text} is the error the caller read. */
    record Failed(String text) implements ToolCallResult {}
}
