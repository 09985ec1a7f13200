package dev.moat;

import dev.moat.identity.AgentId;
import dev.moat.relay.AgentRegistry;
import dev.moat.store.SharedTrust;
import dev.moat.token.RevocationCheck;
import java.util.HashSet;
import java.util.Set;

/**
 * Puts a backend's {@link SharedTrust} in force in one instance's {@link AgentRegistry}: its
 * revocations are consulted on every check together with the home's list (revoked in either is
 * revoked; either failing fails closed), and its trusted roots are added to and removed from the
 * registry as they change, never removing a root the policy or the home trusts.
 */
final class SharedTrustBinding {
    private final SharedTrust shared;
    private final AgentRegistry registry;
    private final Set<AgentId> fixed;
    private final Set<AgentId> added = new HashSet<>();

    private SharedTrustBinding(SharedTrust shared, AgentRegistry registry) {
        this.shared = shared;
        this.registry = registry;
        this.fixed = Set.copyOf(registry.trustedRoots());
    }

    /** Trusts {@code shared}'s roots in {@code registry} now (call before the registry's roots are checked). */
    static SharedTrustBinding roots(SharedTrust shared, AgentRegistry registry) {
        SharedTrustBinding b = new SharedTrustBinding(shared, registry);
        b.syncRoots();
        return b;
    }

    /** From now on: revocations consulted with {@code home} (may be null), roots followed as they change. */
    void enforce(RevocationCheck home) {
        registry.revocationSource(home == null ? shared : both(home, shared));
        shared.onChange(this::syncRoots);
        syncRoots();
    }

    private synchronized void syncRoots() {
        Set<AgentId> now = shared.trustedRoots();
        for (AgentId id : now) {
            if (added.add(id) && !fixed.contains(id)) {
                registry.trustRootId(id);
            }
        }
        for (AgentId id : Set.copyOf(added)) {
            if (!now.contains(id)) {
                added.remove(id);
                if (!fixed.contains(id)) {
                    registry.distrustRoot(id);
                }
            }
        }
    }

    private static RevocationCheck both(RevocationCheck a, RevocationCheck b) {
        return new RevocationCheck() {
            @Override
            public boolean isAgentRevoked(AgentId agent) {
                return a.isAgentRevoked(agent) || b.isAgentRevoked(agent);
            }

            @Override
            public boolean isTokenRevoked(String tokenId) {
                return a.isTokenRevoked(tokenId) || b.isTokenRevoked(tokenId);
            }

            @Override
            public long generation() {
                return a.generation() + b.generation();
            }

            @Override
            public String unavailable() {
                String why = a.unavailable();
                return why != null ? why : b.unavailable();
            }
        };
    }
}
