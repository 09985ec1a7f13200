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
}
