package dev.moat.token;

import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.time.Instant;
import java.util.List;

/**
 * A chain that {@link TokenVerifier} has checked end to end: every signature, every link, every
 * attenuation rule, expiry, revocation and a trusted root. Only the verifier can construct one;
 * the PEP accepts nothing else.
 */
public final class VerifiedCapability {
    private final TokenChain chain;
    private final List<CapabilityToken> links;
    private final CapabilityToken leaf;
    private final Instant notAfter;

    VerifiedCapability(TokenChain chain, List<CapabilityToken> links) {
        this.chain = chain;
        this.links = List.copyOf(links);
        this.leaf = links.get(links.size() - 1);
        Instant min = leaf.expiresAt();
        for (CapabilityToken t : links) {
            if (t.expiresAt().isBefore(min)) {
                min = t.expiresAt();
            }
        }
        this.notAfter = min;
    }

    /** Who may use this capability (the leaf's subject). */
    public AgentId subject() {
        return leaf.subject();
    }

    /** The trusted root issuer. */
    public AgentId rootIssuer() {
        return links.get(0).issuer();
    }

    public CapabilityToken leaf() {
        return leaf;
    }

    /** Every link's claims, root first. */
    public List<CapabilityToken> links() {
        return links;
    }

    public TokenChain chain() {
        return chain;
    }

    /** The earliest expiry along the chain (exclusive). */
    public Instant notAfter() {
        return notAfter;
    }

    /** The limits that apply (the leaf's, which attenuation made the tightest). */
    public ResourceLimits limits() {
        return leaf.limits();
    }

    /**
     * {@code null} when the leaf allows {@code action} on {@code resource}; else
     * {@link ReasonCode#INVALID_RESOURCE}, {@link ReasonCode#EXPLICITLY_DENIED} or
     * {@link ReasonCode#NOT_GRANTED}. Allocation-free.
     */
    public ReasonCode evaluate(String resource, String action) {
        return leaf.evaluate(resource, action);
    }

    /** True when {@link #evaluate} allows the request. Allocation-free. */
    public boolean isActionAllowed(String resource, String action) {
        return leaf.evaluate(resource, action) == null;
    }

    @Override
    public String toString() {
        return "VerifiedCapability[subject=" + subject() + ", root=" + rootIssuer() + ", links=" + links.size() + "]";
    }
}
