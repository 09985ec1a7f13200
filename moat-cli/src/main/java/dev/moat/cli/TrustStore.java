package dev.moat.cli;

import dev.moat.home.HomeTrustStore;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentIdentity;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The home's trusted roots, {@code trusted_roots.json}, through core's {@link HomeTrustStore} (the
 * same file and code a {@code Moat} started from a policy in this home trusts).
 * {@code token verify} accepts a chain only when its root issuer's id is listed here.
 */
public final class TrustStore {
    private final HomeTrustStore store;
    private SortedMap<AgentId, String> roots;

    TrustStore(Path file) {
        this.store = new HomeTrustStore(file);
        this.roots = read();
    }

    public Path file() {
        return store.file();
    }

    public boolean isTrusted(AgentId id) {
        return roots.containsKey(id);
    }

    public Set<AgentId> ids() {
        return Set.copyOf(roots.keySet());
    }

    /** Adds {@code identity}; returns false when it was already trusted. */
    public boolean trust(AgentIdentity identity) {
        boolean added = HomeFileCalls.write(() -> store.trust(identity));
        roots = read();
        return added;
    }

    /** Removes {@code id}; returns false when it was not trusted. */
    public boolean distrust(AgentId id) {
        boolean removed = HomeFileCalls.write(() -> store.distrust(id));
        roots = read();
        return removed;
    }

    private SortedMap<AgentId, String> read() {
        return HomeFileCalls.read(() -> store.read());
    }


    @Override
    public String toString() {
        return roots.values().stream().collect(Collectors.joining(", "));
    }
}
