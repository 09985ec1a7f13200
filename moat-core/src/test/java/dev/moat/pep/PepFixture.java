package dev.moat.pep;

import dev.moat.identity.AgentKeypair;
import dev.moat.internal.OffsetClock;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.policy.PolicyBinding;
import dev.moat.relay.AgentRegistry;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.replay.SequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A root, a worker with a delegated capability, a registry, and a PEP over them. */
final class PepFixture {
    static final PolicyBinding POLICY = PolicyBinding.of("test-policy", "policy v1".getBytes(StandardCharsets.UTF_8));
    static final String RECIPIENT = "moat:guard";
    static final String AUDIENCE = "agent:pep-under-test";

    final OffsetClock clock = new OffsetClock(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    final AgentKeypair root = AgentKeypair.generate("root");
    final AgentKeypair worker = AgentKeypair.generate("worker");
    final AgentRegistry registry = new AgentRegistry();
    final List<Decision> recorded = new ArrayList<>();
    final TokenChain rootChain;
    final TokenChain workerChain;
    SequenceStore sequences = new InMemorySequenceStore();
    DecisionListener listener = (env, d) -> recorded.add(d);
    RouterLimits limits = RouterLimits.DEFAULT;
    private MessageSigner signer;

    PepFixture() {
        registry.register(root.identity()).register(worker.identity()).registerEndpoint(RECIPIENT);
        registry.trustRoot(root.id());
        rootChain = TokenChain.issue(root, Grant.to(root.id()).clock(clock)
                .allow("tool://**", "*").deny("tool://admin/**", "*").validFor(Duration.ofHours(1)).build());
        workerChain = rootChain.delegate(root, Grant.to(worker.id()).clock(clock)
                .allow("tool://search", "execute").allow("tool://*/read", "read").validFor(Duration.ofMinutes(10)).build());
    }

    PolicyEnforcementPoint pep() {
        return PolicyEnforcementPoint.builder(registry, sequences, POLICY).audience(AUDIENCE).clock(clock).routerLimits(limits).listener(listener).build();
    }

    /** One signer per agent, as in real use: its sequence numbers keep increasing. */
    MessageSigner signer() {
        if (signer == null) {
            signer = new MessageSigner(worker, workerChain, clock, AUDIENCE);
        }
        return signer;
    }

    MessageEnvelope call(String resource, String action) {
        return signer().sign(RECIPIENT, resource, action, "{\"q\":\"moat\"}".getBytes(StandardCharsets.UTF_8), POLICY);
    }
}
