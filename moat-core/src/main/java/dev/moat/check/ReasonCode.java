package dev.moat.check;

/**
 * Stable reason codes for every way Moat refuses something. The string {@link #code()} is part of
 * the protocol (spec/PROTOCOL.md, spec/vectors) and never changes meaning; tests assert on these
 * values, never on message text.
 */
public enum ReasonCode {
    /** Bytes are not a well-formed object: bad JSON, base64, field, type, duplicate or unknown key. */
    MALFORMED("malformed"),
    /** Input is larger than the configured limit (bytes, links, entries). */
    OVERSIZED("oversized"),
    /** A signature does not verify over the exact bytes with the claimed key. */
    BAD_SIGNATURE("bad_signature"),
    /** A claimed agent id is not the one derived from the accompanying public key. */
    ID_KEY_MISMATCH("id_key_mismatch"),
    /** The chain's root issuer is not in the verifier's trust store. */
    UNTRUSTED_ROOT("untrusted_root"),
    /** A link does not continue its parent: issuer is not the parent's subject, or parent id/depth differ. */
    BROKEN_CHAIN("broken_chain"),
    /** A child grants more than its parent (scope, actions, denials, limits, expiry). */
    BROADENED("broadened"),
    /** The chain is deeper than the configured cap. */
    DEPTH_EXCEEDED("depth_exceeded"),
    /** A token in the chain has expired, or is not yet valid. */
    EXPIRED("expired"),
    /** An agent or token in the chain has been revoked. */
    REVOKED("revoked"),
    /** The message sender is not the subject of the leaf token (tokens are not bearer tokens). */
    NOT_SUBJECT("not_subject"),
    /** A resource or pattern is not in normal form (traversal, empty segment, encoded separator). */
    INVALID_RESOURCE("invalid_resource"),
    /** No allow entry covers the requested resource and action. */
    NOT_GRANTED("not_granted"),
    /** A deny entry covers the requested resource and action. */
    EXPLICITLY_DENIED("explicitly_denied"),
    /** The message's sequence number is not above the last accepted one. */
    REPLAY("replay"),
    /** The message timestamp is too old or too far in the future. */
    STALE("stale"),
    /** The message body does not match the signed payload hash, or the chain hash differs. */
    DIGEST_MISMATCH("digest_mismatch"),
    /** The sender is not a registered agent. */
    UNKNOWN_SENDER("unknown_sender"),
    /** The recipient is not a registered agent or endpoint. */
    UNKNOWN_RECIPIENT("unknown_recipient"),
    /** The message's signed audience names another policy enforcement point. */
    WRONG_AUDIENCE("wrong_audience"),
    /** The message names a policy other than the active one. */
    POLICY_MISMATCH("policy_mismatch"),
    /** The sender exceeded its rate limit. */
    RATE_LIMITED("rate_limited"),
    /** The runtime monitor blocked the call. */
    MONITOR_BLOCKED("monitor_blocked"),
    /** The sandbox stopped the tool: fuel, memory, deadline, output or I/O denial. */
    SANDBOX_LIMIT("sandbox_limit"),
    /** A tool argument violates a declared constraint. */
    ARGUMENT_REJECTED("argument_rejected"),
    /** A human approver refused, or the approval did not match the arguments. */
    NOT_APPROVED("not_approved"),
    /** Moat could not decide (an exception, an unavailable store): fail closed. */
    INTERNAL("internal");

    private final String code;

    ReasonCode(String code) {
        this.code = code;
    }

    /** The stable wire form, for example {@code "not_granted"}. */
    public String code() {
        return code;
    }

    /** Looks a code up by its wire form. */
    public static ReasonCode fromCode(String code) {
        for (ReasonCode r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reason code: " + code);
    }
}
