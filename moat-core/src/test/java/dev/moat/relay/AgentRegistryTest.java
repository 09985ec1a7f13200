package dev.moat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.identity.AgentIdentity;
import dev.moat.identity.AgentKeypair;
import org.junit.jupiter.api.Test;

class AgentRegistryTest {
    @Test
    void reRegisteringANameWithAnotherKeyIsRefused() {
        AgentRegistry r = new AgentRegistry();
        AgentKeypair alice = AgentKeypair.generate("alice");
        r.register(alice.identity());
        r.register(alice.identity()); // same identity again: fine
        AgentIdentity impostor = AgentKeypair.generate("alice").identity();
        assertThatThrownBy(() -> r.register(impostor)).isInstanceOf(MoatException.class);
        assertThat(r.findByName("alice").orElseThrow().id()).isEqualTo(alice.id());
    }

    @Test
    void onlyRegisteredAgentsCanBeTrustedAndRevocationBumpsTheGeneration() {
        AgentRegistry r = new AgentRegistry();
        AgentKeypair root = AgentKeypair.generate("root");
        assertThatThrownBy(() -> r.trustRoot(root.id())).isInstanceOf(MoatException.class);
        r.register(root.identity()).trustRoot(root.id());
        assertThat(r.isTrustedRoot(root.id())).isTrue();
        long g = r.generation();
        r.revokeToken("abc");
        assertThat(r.generation()).isGreaterThan(g);
        assertThat(r.isTokenRevoked("abc")).isTrue();
    }

    @Test
    void recipientsAreAgentsOrDeclaredEndpoints() {
        AgentRegistry r = new AgentRegistry();
        AgentKeypair bob = AgentKeypair.generate("bob");
        r.register(bob.identity()).registerEndpoint("moat:guard");
        assertThat(r.isKnownRecipient(bob.id().value())).isTrue();
        assertThat(r.isKnownRecipient("moat:guard")).isTrue();
        assertThat(r.isKnownRecipient("moat:other")).isFalse();
        assertThat(r.isKnownRecipient(AgentKeypair.generate("x").id().value())).isFalse();
    }
}
