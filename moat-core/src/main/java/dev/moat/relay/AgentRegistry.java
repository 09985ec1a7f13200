package dev.moat.relay;

import dev.moat.MoatException;
import dev.moat.home.LiveTrustStore;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
import dev.moat.token.RevocationCheck;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who Moat knows: registered agents (by id and by name), trusted root issuers, endpoint names that
 * may receive messages, and revoked agents and tokens. Revocations take effect at once: the token
 * verifier consults this registry at every chain link, and the {@link #generation()} counter tells
 * caches to drop what they hold. Thread-safe.
 */
public final class AgentRegistry implements RevocationCheck {
    private final ConcurrentHashMap<AgentId, AgentIdentity> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentIdentity> byName = new ConcurrentHashMap<>();
    private final Set<AgentId> trustedRoots = ConcurrentHashMap.newKeySet();
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private final Set<AgentId> revokedAgents = ConcurrentHashMap.newKeySet();
    private final Set<String> revokedTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong generation = new AtomicLong();
    private volatile RevocationCheck external = RevocationCheck.NONE;
    private volatile LiveTrustStore homeTrust;

    /**
     * Registers an agent. Registering the same identity twice is a no-op; a name already bound to
     * another key is refused.
     */
    public synchronized AgentRegistry register(AgentIdentity identity) {
        AgentIdentity byNameExisting = byName.get(identity.name());
        if (byNameExisting != null && !byNameExisting.id().equals(identity.id())) {
            throw new MoatException("agent name '" + identity.name() + "' is already registered with another key");
        }
        AgentIdentity byIdExisting = byId.get(identity.id());
        if (byIdExisting != null && !byIdExisting.name().equals(identity.name())) {
            throw new MoatException("agent " + identity.id() + " is already registered as '" + byIdExisting.name() + "'");
        }
        byId.put(identity.id(), identity);
        byName.put(identity.name(), identity);
        return this;
    }

    /** Trusts {@code root} as an issuer of root tokens. The agent must be registered. */
    public AgentRegistry trustRoot(AgentId root) {
        if (!byId.containsKey(root)) {
            throw new MoatException("cannot trust unregistered agent " + root);
        }
        trustedRoots.add(root);
        generation.incrementAndGet();
        return this;
    }

    /** Stops trusting {@code root}; chains rooted there fail from now on. */
    public AgentRegistry distrustRoot(AgentId root) {
        trustedRoots.remove(root);
        generation.incrementAndGet();
        return this;
    }

    /** Declares an endpoint name (besides agent ids) that messages may be addressed to. */
    public AgentRegistry registerEndpoint(String name) {
        endpoints.add(name);
        return this;
    }

    /**
     * True when {@code id} is trusted here or in the home's live trust store; false for every id
     * while that store is failed closed (unreadable or invalid).
     */
    public boolean isTrustedRoot(AgentId id) {
        LiveTrustStore home = homeTrust;
        if (home == null) {
            return trustedRoots.contains(id);
        }
        return home.failure() == null && (trustedRoots.contains(id) || home.isTrusted(id));
    }

    public Optional<AgentIdentity> find(AgentId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Optional<AgentIdentity> findByName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isKnown(AgentId id) {
        return byId.containsKey(id);
    }

    /** True when {@code recipient} is a registered agent id or endpoint name. */
    public boolean isKnownRecipient(String recipient) {
        if (endpoints.contains(recipient)) {
            return true;
        }
        return AgentId.isWellFormed(recipient) && byId.containsKey(new AgentId(recipient));
    }

    public Collection<AgentIdentity> agents() {
        return List.copyOf(byId.values());
    }

    /** The roots trusted now: those trusted here and those of the home's trust store (none while it is failed closed). */
    public Set<AgentId> trustedRoots() {
        LiveTrustStore home = homeTrust;
        if (home == null) {
            return Set.copyOf(trustedRoots);
        }
        if (home.failure() != null) {
            return Set.of();
        }
        Set<AgentId> all = new java.util.HashSet<>(trustedRoots);
        all.addAll(home.ids());
        return Set.copyOf(all);
    }

    /**
     * Trusts the roots of the home's live trust store too, as it changes: a root removed from the
     * file is no longer trusted (unless trusted here as well); while the file is unreadable, no
     * root is trusted at all (fail closed). Its generation is part of this registry's.
     */
    public void homeTrust(LiveTrustStore store) {
        this.homeTrust = java.util.Objects.requireNonNull(store);
        generation.incrementAndGet();
    }

    /**
     * Consults {@code source} too (for example the home's live revocation list) on every check:
     * an agent or token it revokes is revoked here, and its generation is part of this registry's.
     */
    public void revocationSource(RevocationCheck source) {
        this.external = java.util.Objects.requireNonNull(source);
        generation.incrementAndGet();
    }

    /** Trusts {@code root} by id alone (a home trust store lists ids; chains carry the keys, which must derive it). */
    public AgentRegistry trustRootId(AgentId root) {
        trustedRoots.add(java.util.Objects.requireNonNull(root));
        generation.incrementAndGet();
        return this;
    }

    /** Revokes an agent: every chain in which it issues or receives fails from now on. */
    public void revokeAgent(AgentId agent) {
        revokedAgents.add(agent);
        generation.incrementAndGet();
    }

    /** Revokes one token by id: every chain containing it fails from now on. */
    public void revokeToken(String tokenId) {
        revokedTokens.add(tokenId);
        generation.incrementAndGet();
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return revokedAgents.contains(agent) || external.isAgentRevoked(agent);
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return revokedTokens.contains(tokenId) || external.isTokenRevoked(tokenId);
    }

    @Override
    public long generation() {
        LiveTrustStore home = homeTrust;
        return generation.get() + external.generation() + (home == null ? 0 : home.generation());
    }

    /** The {@linkplain #revocationSource external source}'s {@link RevocationCheck#unavailable()}: why it fails closed, or {@code null}. */
    @Override
    public String unavailable() {
        return external.unavailable();
    }
}
