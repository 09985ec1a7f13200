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

    /**
     * Allowed: every stage passed, or (audit-only mode, {@link ShadowMode}) an authorization stage
     * would have denied and {@code wouldDeny} says how; the call runs and the audit log records it
     * as a would-deny. {@code wouldDeny} is {@code null} for a plain allow.
     */
    record Allow(AuthenticatedMessage message, VerifiedCapability capability, Deny wouldDeny) implements Decision {
        public Allow {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(capability, "capability");
        }

        /** A plain allow: every stage passed. */
        public Allow(AuthenticatedMessage message, VerifiedCapability capability) {
            this(message, capability, null);
        }

        /** True when enforce mode would have denied this call (audit-only mode let it run). */
        public boolean shadowed() {
            return wouldDeny != null;
        }

        /** This allow, recording {@code deny} as what enforce mode would have decided (the first one is kept). */
        public Allow wouldHaveDenied(Deny deny) {
            Objects.requireNonNull(deny, "deny");
            return wouldDeny != null ? this : new Allow(message, capability, deny);
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
