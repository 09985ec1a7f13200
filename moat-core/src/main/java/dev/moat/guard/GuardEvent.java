package dev.moat.guard;

import dev.moat.check.ReasonCode;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.util.Objects;

/**
 * One guarded call's final decision, as a {@link DecisionObserver} sees it: who called what, the
 * outcome, and for a denial or an audit-only would-deny the stage, the stable reason code and the
 * detail (the same detail the audit log keeps; it may name policy values, never secret values).
 * The call's arguments are not part of it.
 *
 * @param messageId      the signed message's id, or {@code null} when the call was refused before signing
 * @param durationNanos  how long the guard took to decide (signing, PEP, monitor, the call's own check)
 */
public record GuardEvent(String agent, String resource, String action, Outcome outcome, Stage stage,
                         ReasonCode reasonCode, String detail, String messageId, long durationNanos) {

    /** What happened to the call. */
    public enum Outcome {
        /** Every stage passed; the call may run. */
        ALLOWED("allowed"),
        /** Denied; the call does not run. */
        DENIED("denied"),
        /** Audit-only mode: enforce mode would deny, the call runs. */
        WOULD_DENY("would_deny");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** The stable name used in logs and telemetry. */
        public String code() {
            return code;
        }
    }

    public GuardEvent {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.ALLOWED) != (stage == null) || (stage == null) != (reasonCode == null)) {
            throw new IllegalArgumentException("a denial or would-deny has a stage and a reason code, an allow has neither");
        }
    }

    /** The event for {@code decision} on a call by {@code agent} on {@code resource} [{@code action}]. */
    static GuardEvent of(String agent, String resource, String action, Decision decision, long durationNanos) {
        if (decision instanceof Decision.Deny d) {
            return new GuardEvent(agent, resource, action, Outcome.DENIED, d.stage(), d.code(), d.failure().detail(), null, durationNanos);
        }
        Decision.Allow a = (Decision.Allow) decision;
        Decision.Deny w = a.wouldDeny();
        String id = a.message().id();
        return w == null ? new GuardEvent(agent, resource, action, Outcome.ALLOWED, null, null, null, id, durationNanos)
                : new GuardEvent(agent, resource, action, Outcome.WOULD_DENY, w.stage(), w.code(), w.failure().detail(), id, durationNanos);
    }
}
