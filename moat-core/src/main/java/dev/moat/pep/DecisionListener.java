package dev.moat.pep;

import dev.moat.message.MessageEnvelope;

/**
 * Receives every decision before it is returned (the audit log). If it throws, the PEP turns an
 * allow into a denial: no allowed call goes unrecorded.
 */
@FunctionalInterface
public interface DecisionListener {
    DecisionListener NONE = (envelope, decision) -> {};

    void onDecision(MessageEnvelope envelope, Decision decision) throws Exception;

    /**
     * As {@link #onDecision(MessageEnvelope, Decision)}, for a call made for the end user
     * {@code user} (as the caller states it; not signed), {@code null} when none. The default
     * ignores the user.
     */
    default void onDecision(MessageEnvelope envelope, Decision decision, String user) throws Exception {
        onDecision(envelope, decision);
    }
}
