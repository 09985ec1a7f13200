package dev.moat.message;

import static dev.moat.spec.Fixture.ALICE;
import static dev.moat.spec.Fixture.BOB;
import static dev.moat.spec.Fixture.MALLORY;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.rootToAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Domain;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenForge;
import dev.moat.token.TokenLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sign/verify round trip and one test per refusal; each mutates one thing of a good message. */
@Timeout(30)
class MessageVerifierTest {
    static final TokenChain CHAIN = TokenForge.chain(List.of(rootToAlice().signed(), aliceToBob().signed()));
    static final PolicyBinding POLICY = PolicyBinding.of("default", "p".getBytes(StandardCharsets.UTF_8));
    static final byte[] BODY = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
    static final MessageVerifier VERIFIER = new MessageVerifier();

    static MessageEnvelope signed() {
        return new MessageSigner(BOB, CHAIN, TestKeys.clock(), "pep-a").sign("mail-server", "tool://mail/read", "read", BODY, POLICY);
    }

    static ReasonCode code(Checked<?> c) {
        return c.failureOrNull() == null ? null : c.failureOrNull().code();
    }

    static byte[] header() {
        return MessageForge.header(MessageForge.id("t"), BOB.id(), "mail-server", "tool://mail/read", "read", BODY, CHAIN, POLICY, 7, TestKeys.NOW);
    }

    @Test
    void roundTripThroughTheWire() {
        MessageEnvelope env = signed();
        AuthenticatedMessage m = VERIFIER.verify(env.encode()).orThrow();
        assertThat(m.sender()).isEqualTo(BOB.id());
        assertThat(m.recipient()).isEqualTo("mail-server");
        assertThat(m.resource()).isEqualTo("tool://mail/read");
        assertThat(m.action()).isEqualTo("read");
        assertThat(m.body()).isEqualTo(BODY);
        assertThat(m.policy()).isEqualTo(POLICY);
        assertThat(m.timestamp()).isEqualTo(TestKeys.NOW);
        assertThat(m.chain().encoded()).isEqualTo(CHAIN.encoded());
        assertThat(VERIFIER.verify(env).orThrow().header()).isEqualTo(m.header());
    }

    @Test
    void sequenceNumbersStrictlyIncreaseUnderAFixedClock() {
        MessageSigner s = new MessageSigner(BOB, CHAIN, TestKeys.clock(), "pep-a");
        long a = VERIFIER.verify(s.sign("r", "tool://x", "read", BODY, POLICY)).orThrow().sequence();
        long b = VERIFIER.verify(s.sign("r", "tool://x", "read", BODY, POLICY)).orThrow().sequence();
        assertThat(b).isGreaterThan(a);
        assertThat(a).isGreaterThanOrEqualTo(TestKeys.NOW.toEpochMilli() * 1000);
    }

    @Test
    void senderWhoIsNotTheLeafSubjectIsNotSubject() {
        MessageEnvelope env = new MessageSigner(MALLORY, CHAIN, TestKeys.clock(), "pep-a").sign("r", "tool://mail/read", "read", BODY, POLICY);
        assertThat(code(VERIFIER.verify(env))).isEqualTo(ReasonCode.NOT_SUBJECT);
        MessageEnvelope delegator = new MessageSigner(ALICE, CHAIN, TestKeys.clock(), "pep-a").sign("r", "tool://mail/read", "read", BODY, POLICY);
        assertThat(code(VERIFIER.verify(delegator))).isEqualTo(ReasonCode.NOT_SUBJECT);
    }

    @Test
    void flippedSignatureIsBadSignature() {
        byte[] h = header();
        byte[] sig = BOB.sign(Domain.MESSAGE, h);
        sig[5] ^= 4;
        assertThat(code(VERIFIER.verify(MessageForge.envelope(BOB.publicKey().bytes(), h, sig, BODY, CHAIN)))).isEqualTo(ReasonCode.BAD_SIGNATURE);
    }

    @Test
    void tokenDomainSignatureIsBadSignature() {
        byte[] h = header();
        assertThat(code(VERIFIER.verify(MessageForge.envelope(BOB.publicKey().bytes(), h, BOB.sign(Domain.TOKEN, h), BODY, CHAIN))))
                .isEqualTo(ReasonCode.BAD_SIGNATURE);
    }

    @Test
    void senderIdOfAnotherKeyIsIdKeyMismatch() {
        byte[] h = MessageForge.header(MessageForge.id("t"), ALICE.id(), "r", "tool://x", "read", BODY, CHAIN, POLICY, 1, TestKeys.NOW);
        assertThat(code(VERIFIER.verify(MessageForge.envelope(BOB.publicKey().bytes(), h, BOB.sign(Domain.MESSAGE, h), BODY, CHAIN))))
                .isEqualTo(ReasonCode.ID_KEY_MISMATCH);
    }

    @Test
    void swappedBodyOrChainIsDigestMismatch() {
        byte[] h = header();
        byte[] sig = BOB.sign(Domain.MESSAGE, h);
        assertThat(code(VERIFIER.verify(MessageForge.envelope(BOB.publicKey().bytes(), h, sig, "{}".getBytes(StandardCharsets.UTF_8), CHAIN))))
                .isEqualTo(ReasonCode.DIGEST_MISMATCH);
        TokenChain other = TokenForge.chain(List.of(rootToAlice().signed()));
        assertThat(code(VERIFIER.verify(MessageForge.envelope(BOB.publicKey().bytes(), h, sig, BODY, other)))).isEqualTo(ReasonCode.DIGEST_MISMATCH);
    }

    @Test
    void invalidSenderKeyIsMalformed() {
        byte[] h = header();
        assertThat(code(VERIFIER.verify(MessageForge.envelope(new byte[32], h, BOB.sign(Domain.MESSAGE, h), BODY, CHAIN))))
                .isEqualTo(ReasonCode.MALFORMED);
    }

    @Test
    void bodyOverTheLimitIsOversized() {
        MessageVerifier small = new MessageVerifier(new MessageLimits(4, 1 << 20, TokenLimits.DEFAULT));
        assertThat(code(small.verify(signed()))).isEqualTo(ReasonCode.OVERSIZED);
        assertThat(code(small.verify(signed().encode()))).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void nullAndGarbageAreMalformed() {
        assertThat(code(VERIFIER.verify((byte[]) null))).isEqualTo(ReasonCode.MALFORMED);
        assertThat(code(VERIFIER.verify((MessageEnvelope) null))).isEqualTo(ReasonCode.MALFORMED);
        assertThat(code(MessageEnvelope.parse("{}".getBytes(StandardCharsets.UTF_8)))).isEqualTo(ReasonCode.MALFORMED);
    }

    @Test
    void toStringsShowNoKeyOrSignatureBytes() {
        MessageEnvelope env = signed();
        assertThat(env.toString()).doesNotContain(BOB.publicKey().toBase64Url());
        assertThat(VERIFIER.verify(env).orThrow().toString()).contains(BOB.id().value());
    }
}
