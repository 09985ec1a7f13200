package dev.moat.home;

import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.util.SortedSet;
import java.util.TreeSet;

/** One parsed revocation list: revoked agent ids and token ids. Immutable. */
public record Revocations(SortedSet<String> agents, SortedSet<String> tokens) implements RevocationCheck {
    public static final Revocations EMPTY = new Revocations(new TreeSet<>(), new TreeSet<>());

    public Revocations {
        agents = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(agents));
        tokens = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tokens));
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return agents.contains(agent.value());
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return tokens.contains(tokenId);
    }

    Revocations withAgent(AgentId agent) {
        TreeSet<String> a = new TreeSet<>(agents);
        a.add(agent.value());
        return new Revocations(a, tokens);
    }

    Revocations withToken(String tokenId) {
        TreeSet<String> t = new TreeSet<>(tokens);
        t.add(tokenId);
        return new Revocations(agents, t);
    }
}
