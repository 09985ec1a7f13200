package dev.moat.pep;

import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.util.Objects;
import java.util.Set;

/**
 * Audit-only ("shadow") mode: which calls have their authorization denials computed and audited as
 * would-deny while the call runs, so a team can roll a new policy out without breaking its agents.
 * The mode is asked only after a denial, with the verified sender and the call's resource; a plain
 * allow never consults it.
 *
 * <p>Shadow mode covers authorization decisions only ({@link #covers}): a scope the verified
 * capability does not grant or explicitly denies, a rejected argument, a runtime monitor block.
 * Everything that establishes who is calling and that the call is genuine and fresh is enforced
 * in every mode: malformed or oversized messages, bad signatures, unknown or revoked senders,
 * replays, stale messages, the wrong audience, a policy mismatch, rate limits, a chain that does
 * not verify, a sender that is not the capability's subject, a refused human approval, a refused
 * secret, sandbox limits, and any internal error. Letting one of those through would not be
 * rolling out a policy: it would be turning authentication off.
 */
@FunctionalInterface
public interface ShadowMode {
    /** Enforce everything (the default). */
    ShadowMode ENFORCE = (sender, resource) -> false;
    /** Audit-only for every call (a policy's top-level {@code mode: audit-only}). */
    ShadowMode ALL = (sender, resource) -> true;

    /** Whether a covered denial of a call by {@code sender} on {@code resource} is only audited. */
    boolean auditOnly(AgentId sender, String resource);

    /** Audit-only for calls by these senders (grants in {@code mode: audit-only} name their subjects). */
    static ShadowMode senders(Set<AgentId> senders) {
        Set<AgentId> copy = Set.copyOf(senders);
        return copy.isEmpty() ? ENFORCE : (sender, resource) -> copy.contains(sender);
    }

    /** Audit-only for calls on a resource one of {@code patterns} matches (tools in {@code mode: audit-only}). */
    static ShadowMode resources(java.util.List<dev.moat.token.ResourcePattern> patterns) {
        java.util.List<dev.moat.token.ResourcePattern> copy = java.util.List.copyOf(patterns);
        if (copy.isEmpty()) {
            return ENFORCE;
        }
        return (sender, resource) -> {
            for (dev.moat.token.ResourcePattern p : copy) {
                if (p.matches(resource)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** Audit-only when this mode or {@code other} says so. */
    default ShadowMode or(ShadowMode other) {
        Objects.requireNonNull(other, "other");
        if (this == ENFORCE) {
            return other;
        }
        if (other == ENFORCE) {
            return this;
        }
        return (sender, resource) -> auditOnly(sender, resource) || other.auditOnly(sender, resource);
    }

    /**
     * Whether a denial at {@code stage} for {@code code} is an authorization decision that audit-only
     * mode may let through. Everything else is enforced in every mode (see the type's comment).
     */
    static boolean covers(Stage stage, ReasonCode code) {
        return switch (stage) {
            case CAPABILITY -> code == ReasonCode.NOT_GRANTED || code == ReasonCode.EXPLICITLY_DENIED;
            case GUARD -> code == ReasonCode.ARGUMENT_REJECTED;
            case MONITOR -> code == ReasonCode.MONITOR_BLOCKED;
            default -> false;
        };
    }

    /** Whether {@code deny}, of a call by {@code sender} on {@code resource}, is only audited under this mode. */
    default boolean shadows(Decision.Deny deny, AgentId sender, String resource) {
        return covers(deny.stage(), deny.code()) && auditOnly(sender, resource);
    }
}
