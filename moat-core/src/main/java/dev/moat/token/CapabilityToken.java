package dev.moat.token;

import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.internal.TimeFormat;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The claims of one capability token: who grants ({@code issuer}, with its public key) what
 * ({@code allowed} minus {@code denied}, within {@code limits}) to whom ({@code subject}), until
 * when. A delegated token names its {@code parentId} and sits at {@code depth} parent depth + 1.
 *
 * <p>This record is plain data: holding one proves nothing. Only {@link TokenVerifier} turns a
 * signed {@link TokenChain} into a {@link VerifiedCapability}, which is what the PEP accepts.
 */
public record CapabilityToken(
        String id,
        AgentId issuer,
        Ed25519PublicKey issuerKey,
        AgentId subject,
        String parentId,
        int depth,
        List<Scope> allowed,
        List<Scope> denied,
        ResourceLimits limits,
        Instant issuedAt,
        Instant expiresAt) {

    public static final int MAX_SCOPES = 64;

    public CapabilityToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(issuerKey, "issuerKey");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!issuer.matches(issuerKey)) {
            throw new IllegalArgumentException("issuer id does not belong to the issuer key");
        }
        if (depth < 0) {
            throw new IllegalArgumentException("depth must not be negative");
        }
        if ((depth == 0) != (parentId == null)) {
            throw new IllegalArgumentException("a root token (depth 0) has no parent; a delegated one has one");
        }
        allowed = List.copyOf(allowed);
        denied = List.copyOf(denied);
        if (allowed.size() > MAX_SCOPES || denied.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("at most " + MAX_SCOPES + " allow and " + MAX_SCOPES + " deny scopes");
        }
        issuedAt = TimeFormat.truncate(issuedAt);
        expiresAt = TimeFormat.truncate(expiresAt);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt must be after issuedAt");
        }
    }

    /** True for a root token (no parent). */
    public boolean isRoot() {
        return parentId == null;
    }

    /**
     * Evaluates a request against this token's own scopes only (no signature or chain checks):
     * {@code null} when allowed, else {@link dev.moat.check.ReasonCode#INVALID_RESOURCE},
     * {@code EXPLICITLY_DENIED} or {@code NOT_GRANTED}. Denials win over grants. Allocation-free.
     */
    public dev.moat.check.ReasonCode evaluate(String resource, String action) {
        // A request names one concrete action: "*" would slip past denials of specific actions.
        if (resource == null || action == null || action.isEmpty() || action.equals(Scope.ANY_ACTION) || !Resources.isValid(resource)) {
            return dev.moat.check.ReasonCode.INVALID_RESOURCE;
        }
        for (int i = 0; i < denied.size(); i++) {
            if (denied.get(i).matches(resource, action)) {
                return dev.moat.check.ReasonCode.EXPLICITLY_DENIED;
            }
        }
        for (int i = 0; i < allowed.size(); i++) {
            if (allowed.get(i).matches(resource, action)) {
                return null;
            }
        }
        return dev.moat.check.ReasonCode.NOT_GRANTED;
    }

    /** True when {@link #evaluate} allows the request. */
    public boolean isActionAllowed(String resource, String action) {
        return evaluate(resource, action) == null;
    }
}
