package dev.moat.secrets;

import dev.moat.check.ReasonCode;
import java.util.Locale;

/** Why a handle was not resolved (or a secret not issued). Each maps to a stable {@link ReasonCode}. */
public enum SecretDenial {
    /** The text is not a well-formed handle. */
    MALFORMED_HANDLE(ReasonCode.MALFORMED),
    /** No such handle was issued (or it was forgotten after expiry). */
    UNKNOWN_HANDLE(ReasonCode.NOT_GRANTED),
    /** The handle belongs to another agent: handles are not bearer tokens. */
    WRONG_AGENT(ReasonCode.NOT_SUBJECT),
    /** The handle was revoked. */
    HANDLE_REVOKED(ReasonCode.REVOKED),
    /** The secret was revoked. */
    SECRET_REVOKED(ReasonCode.REVOKED),
    /** The agent was revoked. */
    AGENT_REVOKED(ReasonCode.REVOKED),
    /** The handle's lifetime is over. */
    HANDLE_EXPIRED(ReasonCode.EXPIRED),
    /** The agent's ACL does not (or no longer) grant the secret, or the secret is not declared. */
    NOT_GRANTED(ReasonCode.NOT_GRANTED),
    /** The secret may not be used here: host not listed, plain HTTP, or process environment not allowed. */
    USE_NOT_ALLOWED(ReasonCode.NOT_GRANTED),
    /** The value cannot be injected safely here (control characters in a header or environment). */
    UNSAFE_VALUE(ReasonCode.ARGUMENT_REJECTED),
    /** Too many live handles. */
    TOO_MANY_HANDLES(ReasonCode.OVERSIZED),
    /** The proxy could not decide (listener failure): fail closed. */
    INTERNAL(ReasonCode.INTERNAL);

    private final ReasonCode reasonCode;

    SecretDenial(ReasonCode reasonCode) {
        this.reasonCode = reasonCode;
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** Stable lower-case form for audit entries, for example {@code "wrong_agent"}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
