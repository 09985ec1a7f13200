package dev.moat.guard;

import dev.moat.check.Checked;
import dev.moat.token.TokenChain;

/**
 * Chooses the capability chain a call is signed with, just before it is signed: the agent's
 * current chain (renewed first when it is due), or a narrower one held by the same agent for the
 * call's end user ({@link CallContext#user()}). A failure denies the call at stage
 * {@code authorization} and nothing is signed; an exception does too (fail closed).
 */
@FunctionalInterface
public interface CapabilitySource {
    /** Signs with the agent's own chain as it is. */
    CapabilitySource CURRENT = (agent, context, current) -> Checked.ok(current);

    /**
     * @param agent   the agent's name
     * @param context the call's context (its user selects a per-user capability)
     * @param current the chain the agent's signer holds now
     * @return the chain to sign with, or a failure that denies the call
     */
    Checked<TokenChain> select(String agent, CallContext context, TokenChain current);
}
