package dev.moat.pep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.check.ReasonCode;
import dev.moat.guard.Guard;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attack: two Moat instances share a policy (same agents, same capability, same policy hash)
 * but not their replay state. An envelope made for instance A is replayed at instance B, where its
 * sequence number is fresh. The signed audience names A, so B refuses it with {@code wrong_audience}.
 */
@Timeout(30)
class AudienceTest {
    @Test
    void anEnvelopeForOneInstanceIsRefusedByAnotherSharingThePolicy() {
        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain root = TokenChain.issue(owner, Grant.to(owner.id()).allow("tool://**", "execute").validFor(Duration.ofHours(1)).build());
        TokenChain chain = root.delegate(owner, Grant.to(worker.id()).allow("tool://pay/**", "execute").validFor(Duration.ofMinutes(30)).build());
        PolicyBinding policy = PolicyBinding.of("shared", "the same policy file".getBytes(StandardCharsets.UTF_8));
        try (Moat a = instance(owner, worker, chain, policy); Moat b = instance(owner, worker, chain, policy)) {
            assertThat(a.pep().audience()).isNotEqualTo(b.pep().audience());
            MessageEnvelope forA = new MessageSigner(worker, chain, a.pep().audience())
                    .sign(Guard.RECIPIENT, "tool://pay/send", "execute", "{\"amount\":5}".getBytes(StandardCharsets.UTF_8), policy);

            Decision atB = b.pep().evaluate(forA.encode());
            assertThat(atB).isInstanceOfSatisfying(Decision.Deny.class, d -> {
                assertThat(d.code()).isEqualTo(ReasonCode.WRONG_AUDIENCE);
                assertThat(d.stage()).isEqualTo(Stage.ROUTER);
            });
            assertThat(a.pep().evaluate(forA.encode()).allowed()).isTrue();
            // an explicit audience works the same way
            try (Moat c = Moat.builder().agent(owner).agent(worker).trustRoot("owner").capability("worker", chain).policy(policy)
                    .audience("pep:payments-eu-1").inMemoryStores(AgentKeypair.generate("audit")).build()) {
                assertThat(c.pep().audience()).isEqualTo("pep:payments-eu-1");
                assertThat(((Decision.Deny) c.pep().evaluate(forA.encode())).code()).isEqualTo(ReasonCode.WRONG_AUDIENCE);
            }
        }
    }

    private static Moat instance(AgentKeypair owner, AgentKeypair worker, TokenChain chain, PolicyBinding policy) {
        return Moat.builder().agent(owner).agent(worker).trustRoot("owner").capability("worker", chain).policy(policy)
                .inMemoryStores(AgentKeypair.generate("audit")).build();
    }
}
