package dev.moat.pep;

import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.token.VerifiedCapability;
import java.util.Objects;

/**
 * The PEP's answer: {@link Allow} with the authenticated message and the verified capability it
 * rests on, or {@link Deny} naming the stage and the typed reason. Tests and callers switch on the
 * type and on {@link ReasonCode}, never on text.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny {

    boolean allowed();

    /** Allowed: every stage passed. */
    record Allow(AuthenticatedMessage message, VerifiedCapability capability) implements Decision {
        public Allow {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(capability, "capability");
        }

        @Override
        public boolean allowed() {
            return true;
        }
    }

    /** Denied at {@code stage} for {@code failure}. */
    record Deny(Stage stage, Failure failure) implements Decision {
        public Deny {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(failure, "failure");
        }

        public static Deny of(Stage stage, ReasonCode code, String detail) {
            return new Deny(stage, Failure.of(code, detail));
        }

        public ReasonCode code() {
            return failure.code();
        }

        @Override
        public boolean allowed() {
            return false;
        }

        /** The text a model reads: {@code denied: <detail> (<stage>/<code>)}. */
        public String explain() {
            String d = failure.detail().isEmpty() ? failure.code().code() : failure.detail();
            return "denied: " + d + " (" + stage.code() + "/" + failure.code().code() + ")";
        }

        @Override
        public String toString() {
            return explain();
        }
    }
}
