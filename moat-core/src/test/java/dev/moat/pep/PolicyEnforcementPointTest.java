package dev.moat.pep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.policy.PolicyBinding;
import dev.moat.replay.SequenceStore;
import dev.moat.replay.SequenceStoreException;
import dev.moat.relay.RouterLimits;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PolicyEnforcementPointTest {
    private final PepFixture f = new PepFixture();

    private static Decision.Deny denied(Decision d) {
        assertThat(d).isInstanceOf(Decision.Deny.class);
        return (Decision.Deny) d;
    }

    @Test
    void allowsAGrantedCallAndRecordsIt() {
        Decision d = f.pep().evaluate(f.call("tool://search", "execute"));
        assertThat(d).isInstanceOf(Decision.Allow.class);
        Decision.Allow allow = (Decision.Allow) d;
        assertThat(allow.capability().subject()).isEqualTo(f.worker.id());
        assertThat(allow.message().resource()).isEqualTo("tool://search");
        assertThat(f.recorded).containsExactly(d);
    }

    @Test
    void wildcardSegmentGrantWorks() {
        assertThat(f.pep().evaluate(f.call("tool://files/read", "read")).allowed()).isTrue();
        assertThat(denied(f.pep().evaluate(f.call("tool://files/write", "read"))).code()).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void deniesAnUngrantedAction() {
        Decision.Deny d = denied(f.pep().evaluate(f.call("tool://search", "delete")));
        assertThat(d.stage()).isEqualTo(Stage.CAPABILITY);
        assertThat(d.code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(d.explain()).startsWith("denied: ");
    }

    @Test
    void deniesTraversalInTheRequestedResource() {
        Decision.Deny d = denied(f.pep().evaluate(f.call("tool://files/../admin/read", "read")));
        assertThat(d.code()).isEqualTo(ReasonCode.INVALID_RESOURCE);
    }

    @Test
    void rejectsAReplayedMessage() {
        PolicyEnforcementPoint pep = f.pep();
        MessageEnvelope env = f.call("tool://search", "execute");
        assertThat(pep.evaluate(env).allowed()).isTrue();
        Decision.Deny d = denied(pep.evaluate(env));
        assertThat(d.stage()).isEqualTo(Stage.AUTHENTICATION);
        assertThat(d.code()).isEqualTo(ReasonCode.REPLAY);
    }

    @Test
    void acceptsALowerSequenceNumberOnceInsideTheWindowAndRefusesOneOlderThanIt() {
        f.limits = RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1));
        PolicyEnforcementPoint pep = f.pep();
        MessageSigner s = f.signer();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(pep.evaluate(s.signWithSequence(10, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY)).allowed()).isTrue();
        // signed in parallel, arrived late: accepted once (spec/PROTOCOL.md 10.4)
        assertThat(pep.evaluate(s.signWithSequence(9, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY)).allowed()).isTrue();
        assertThat(denied(pep.evaluate(s.signWithSequence(9, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY))).code())
                .isEqualTo(ReasonCode.REPLAY);
        for (long seq = 11; seq <= 11 + dev.moat.replay.ReplayWindow.WINDOW; seq++) {
            assertThat(pep.evaluate(s.signWithSequence(seq, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY)).allowed()).isTrue();
        }
        assertThat(denied(pep.evaluate(s.signWithSequence(8, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY))).code())
                .as("older than the window").isEqualTo(ReasonCode.REPLAY);
    }

    @Test
    void overAStoreSharedWithOtherInstancesNumbersMustArriveInOrder() {
        dev.moat.replay.InMemorySequenceStore inner = new dev.moat.replay.InMemorySequenceStore();
        f.sequences = new SequenceStore() { // a fleet's store: another instance may accept below our highest
            @Override
            public boolean advance(dev.moat.identity.AgentId sender, long seq) {
                return inner.advance(sender, seq);
            }

            @Override
            public long last(dev.moat.identity.AgentId sender) {
                return inner.last(sender);
            }
        };
        PolicyEnforcementPoint pep = f.pep();
        assertThat(pep.acceptsOutOfOrder()).isFalse();
        MessageSigner s = f.signer();
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(pep.evaluate(s.signWithSequence(10, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY)).allowed()).isTrue();
        assertThat(denied(pep.evaluate(s.signWithSequence(9, PepFixture.RECIPIENT, "tool://search", "execute", body, PepFixture.POLICY))).code())
                .isEqualTo(ReasonCode.REPLAY);
    }

    @Test
    void rejectsATamperedWireByte() {
        byte[] wire = f.call("tool://search", "execute").encode();
        String text = new String(wire, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("\"sig\":\"") + 10;
        wire[at] = (byte) (wire[at] == 'A' ? 'B' : 'A');
        Decision.Deny d = denied(f.pep().evaluate(wire));
        assertThat(d.code()).isIn(ReasonCode.BAD_SIGNATURE, ReasonCode.MALFORMED);
    }

    @Test
    void aTamperedChainInsideTheMessageBreaksItsDigest() {
        byte[] wire = f.call("tool://search", "execute").encode();
        String text = new String(wire, StandardCharsets.UTF_8);
        int at = text.indexOf("\"sig\":\"") + 10;
        wire[at] = (byte) (wire[at] == 'A' ? 'B' : 'A');
        assertThat(denied(f.pep().evaluate(wire)).code()).isIn(ReasonCode.DIGEST_MISMATCH, ReasonCode.MALFORMED);
    }

    @Test
    void wireRoundTripIsAllowed() {
        assertThat(f.pep().evaluate(f.call("tool://search", "execute").encode()).allowed()).isTrue();
    }

    @Test
    void rejectsStaleAndFutureTimestamps() {
        MessageEnvelope old = f.call("tool://search", "execute");
        f.clock.advance(Duration.ofMinutes(6));
        assertThat(denied(f.pep().evaluate(old)).code()).isEqualTo(ReasonCode.STALE);

        PepFixture g = new PepFixture();
        g.clock.advance(Duration.ofMinutes(1));
        MessageEnvelope future = g.call("tool://search", "execute");
        g.clock.advance(Duration.ofMinutes(-1));
        Decision.Deny d = denied(g.pep().evaluate(future));
        assertThat(d.stage()).isEqualTo(Stage.ROUTER);
        assertThat(d.code()).isEqualTo(ReasonCode.STALE);
    }

    @Test
    void rejectsAnUnknownRecipient() {
        MessageEnvelope env = f.signer().sign("somewhere-else", "tool://search", "execute", new byte[0], PepFixture.POLICY);
        assertThat(denied(f.pep().evaluate(env)).code()).isEqualTo(ReasonCode.UNKNOWN_RECIPIENT);
    }

    @Test
    void rejectsAnUnregisteredSender() {
        AgentKeypair stranger = AgentKeypair.generate("stranger");
        TokenChain chain = f.rootChain.delegate(f.root, Grant.to(stranger.id()).clock(f.clock)
                .allow("tool://search", "execute").validFor(Duration.ofMinutes(5)).build());
        MessageEnvelope env = new MessageSigner(stranger, chain, f.clock, PepFixture.AUDIENCE).sign(PepFixture.RECIPIENT, "tool://search", "execute", new byte[0], PepFixture.POLICY);
        assertThat(denied(f.pep().evaluate(env)).code()).isEqualTo(ReasonCode.UNKNOWN_SENDER);
    }

    @Test
    void rejectsAMessageBoundToAnotherPolicy() {
        PolicyBinding other = PolicyBinding.of("test-policy", "policy v2 (laxer)".getBytes(StandardCharsets.UTF_8));
        MessageEnvelope env = f.signer().sign(PepFixture.RECIPIENT, "tool://search", "execute", new byte[0], other);
        Decision.Deny d = denied(f.pep().evaluate(env));
        assertThat(d.stage()).isEqualTo(Stage.POLICY);
        assertThat(d.code()).isEqualTo(ReasonCode.POLICY_MISMATCH);
    }

    @Test
    void rejectsAnUntrustedRoot() {
        f.registry.distrustRoot(f.root.id());
        Decision.Deny d = denied(f.pep().evaluate(f.call("tool://search", "execute")));
        assertThat(d.stage()).isEqualTo(Stage.CAPABILITY);
        assertThat(d.code()).isEqualTo(ReasonCode.UNTRUSTED_ROOT);
    }

    @Test
    void revocationAppliesToACachedChain() {
        PolicyEnforcementPoint pep = f.pep();
        assertThat(pep.evaluate(f.call("tool://search", "execute")).allowed()).isTrue();
        f.registry.revokeToken(f.workerChain.leafClaims().orThrow().id());
        assertThat(denied(pep.evaluate(f.call("tool://search", "execute"))).code()).isEqualTo(ReasonCode.REVOKED);
    }

    @Test
    void revokedSenderIsRefusedAtStageOne() {
        PolicyEnforcementPoint pep = f.pep();
        f.registry.revokeAgent(f.worker.id());
        Decision.Deny d = denied(pep.evaluate(f.call("tool://search", "execute")));
        assertThat(d.stage()).isEqualTo(Stage.AUTHENTICATION);
        assertThat(d.code()).isEqualTo(ReasonCode.REVOKED);
    }

    @Test
    void expiryAppliesToACachedChain() {
        PolicyEnforcementPoint pep = f.pep();
        assertThat(pep.evaluate(f.call("tool://search", "execute")).allowed()).isTrue();
        f.clock.advance(Duration.ofMinutes(11));
        assertThat(denied(pep.evaluate(f.call("tool://search", "execute"))).code()).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void rateLimitRunsOnTheVerifiedSender() {
        f.limits = RouterLimits.DEFAULT.withRateLimit(3, Duration.ofSeconds(10));
        PolicyEnforcementPoint pep = f.pep();
        for (int i = 0; i < 3; i++) {
            assertThat(pep.evaluate(f.call("tool://search", "execute")).allowed()).isTrue();
        }
        assertThat(denied(pep.evaluate(f.call("tool://search", "execute"))).code()).isEqualTo(ReasonCode.RATE_LIMITED);
        f.clock.advance(Duration.ofSeconds(11));
        assertThat(pep.evaluate(f.call("tool://search", "execute")).allowed()).isTrue();
    }

    @Test
    void forgedMessagesDoNotConsumeTheRateLimit() {
        f.limits = RouterLimits.DEFAULT.withRateLimit(1, Duration.ofSeconds(10));
        PolicyEnforcementPoint pep = f.pep();
        byte[] wire = f.call("tool://search", "execute").encode();
        String text = new String(wire, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("\"sig\":\"") + 12;
        int forgeries = 0;
        for (char c = 'a'; forgeries < 5; c++) {
            if (wire[at] == c) {
                continue; // that would be the genuine message, not a forgery
            }
            byte[] forged = wire.clone();
            forged[at] = (byte) c;
            assertThat(pep.evaluate(forged).allowed()).isFalse();
            forgeries++;
        }
        assertThat(pep.evaluate(f.call("tool://search", "execute")).allowed()).isTrue();
    }

    @Test
    void aFailingSequenceStoreDenies() {
        f.sequences = new SequenceStore() {
            @Override
            public boolean advance(dev.moat.identity.AgentId sender, long seq) {
                throw new SequenceStoreException("disk full");
            }

            @Override
            public long last(dev.moat.identity.AgentId sender) {
                return -1;
            }
        };
        Decision.Deny d = denied(f.pep().evaluate(f.call("tool://search", "execute")));
        assertThat(d.code()).isEqualTo(ReasonCode.INTERNAL);
        assertThat(d.stage()).isEqualTo(Stage.AUTHENTICATION); // the replay check broke, so stage 1 denies
        assertThat(f.recorded).hasSize(1);
        assertThat(f.recorded.get(0).allowed()).isFalse();
    }

    @Test
    void aFailingRecorderTurnsAnAllowIntoADenial() {
        f.listener = (env, d) -> {
            if (d.allowed()) {
                throw new java.io.IOException("audit disk full");
            }
            f.recorded.add(d);
        };
        Decision.Deny d = denied(f.pep().evaluate(f.call("tool://search", "execute")));
        assertThat(d.code()).isEqualTo(ReasonCode.INTERNAL);
        assertThat(f.recorded).containsExactly(d);
    }

    @Test
    void garbageWireBytesAreADenialNotACrash() {
        PolicyEnforcementPoint pep = f.pep();
        assertThat(denied(pep.evaluate("not json".getBytes(StandardCharsets.UTF_8))).code()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(denied(pep.evaluate(new byte[0])).code()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(denied(pep.evaluate(new byte[5 * 1024 * 1024])).code()).isEqualTo(ReasonCode.OVERSIZED);
    }
}
