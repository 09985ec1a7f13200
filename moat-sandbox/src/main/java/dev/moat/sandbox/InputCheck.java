package dev.moat.sandbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.moat.sandbox.internal.RunStopped;

/** Checks the tool's JSON input: within the cap, one well-formed JSON value, bounded nesting. */
final class InputCheck {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private InputCheck() {}

    static void requireJson(byte[] input, int maxBytes) {
        if (input == null || input.length > maxBytes) {
            throw new RunStopped(SandboxFailure.INVALID_INPUT, "input missing or larger than " + maxBytes + " bytes");
        }
        try (JsonParser p = FACTORY.createParser(input)) {
            if (p.nextToken() == null) {
                throw new RunStopped(SandboxFailure.INVALID_INPUT, "input is empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new RunStopped(SandboxFailure.INVALID_INPUT, "trailing content after the JSON value");
            }
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof RunStopped r) {
                throw r;
            }
            throw new RunStopped(SandboxFailure.INVALID_INPUT, "input is not JSON");
        }
    }
}
