package dev.moat.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentKeypair;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process fast path's provenance (spec/PROTOCOL.md 10.5): the signature check is skipped
 * only for an envelope that the very signer object presented made, and for nothing else.
 */
@Timeout(60)
class InProcessProvenanceTest {
    private static final PolicyBinding POLICY = PolicyBinding.of("p", "policy".getBytes(StandardCharsets.UTF_8));
    private final AgentKeypair worker = AgentKeypair.generate("worker");
    private final TokenChain chain = TokenChain.issue(worker, Grant.to(worker.id()).allow("tool://**", "*")
            .validFor(Duration.ofHours(1)).build());
    private final MessageSigner signer = new MessageSigner(worker, chain, "pep-a");
    private final MessageVerifier verifier = new MessageVerifier();
    private final byte[] body = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void anEnvelopeKnowsOnlyTheSignerThatMadeIt() {
        MessageEnvelope env = signer.sign("moat:guard", "tool://a", "read", body, POLICY);
        MessageSigner sameKey = new MessageSigner(worker, chain, "pep-a");
        assertThat(env.isSignedBy(signer)).isTrue();
        assertThat(env.isSignedBy(sameKey)).isFalse(); // identity of the object, not of the key
        assertThat(env.isSignedBy(null)).isFalse();
        MessageEnvelope parsed = MessageEnvelope.parse(env.encode()).orThrow();
        assertThat(parsed.isSignedBy(signer)).as("bytes carry no provenance").isFalse();
        // and the fast path's envelope is a genuine signature, verifiable offline by anyone
        assertThat(Ed25519PublicKey.of(worker.publicKey().bytes()).verify(Domain.MESSAGE, env.header(), env.signature)).isTrue();
        assertThat(verifier.verify(env, signer).orThrow().id()).isEqualTo(verifier.verify(parsed).orThrow().id());
    }

    @Test
    void theSignatureCheckIsSkippedOnlyForTheSignersOwnEnvelope() {
        MessageEnvelope good = signer.sign("moat:guard", "tool://a", "read", body, POLICY);
        byte[] badSig = good.signature.clone();
        badSig[5] ^= 1;
        // Only code in this package can build an envelope claiming a signer; with a wrong signature it
        // shows what the fast path skips, and that nothing but that signer's identity unlocks it.
        MessageEnvelope claimed = new MessageEnvelope(good.key, good.header, badSig, good.body, good.chain, signer,
                good.peekHeader().orThrow());
        assertThat(verifier.verify(claimed, signer).isOk()).isTrue();
        assertThat(code(verifier.verify(claimed))).isEqualTo(ReasonCode.BAD_SIGNATURE);
        assertThat(code(verifier.verify(claimed, new MessageSigner(worker, chain, "pep-a")))).isEqualTo(ReasonCode.BAD_SIGNATURE);
    }

    @Test
    void anEnvelopeBuiltOutsideTheSignerWithABadSignatureNeverTakesTheFastPath() {
        MessageEnvelope good = signer.sign("moat:guard", "tool://a", "read", body, POLICY);
        byte[] badSig = good.signature.clone();
        badSig[0] ^= (byte) 0x80;
        MessageEnvelope forged = MessageForge.envelope(good.key, good.header, badSig, good.body, good.chain);
        assertThat(forged.isSignedBy(signer)).isFalse();
        assertThat(code(verifier.verify(forged, signer))).isEqualTo(ReasonCode.BAD_SIGNATURE);
        // the same forgery as wire bytes
        byte[] wire = forged.encode();
        MessageEnvelope fromWire = MessageEnvelope.parse(wire).orThrow();
        assertThat(code(verifier.verify(fromWire, signer))).isEqualTo(ReasonCode.BAD_SIGNATURE);
        // a tampered body on a genuine signature is still caught on the fast path's other checks
        byte[] otherBody = Arrays.copyOf(good.body, good.body.length);
        otherBody[2] = 'x';
        MessageEnvelope swapped = MessageForge.envelope(good.key, good.header, good.signature, otherBody, good.chain);
        assertThat(code(verifier.verify(swapped, signer))).isEqualTo(ReasonCode.DIGEST_MISMATCH);
    }

    @Test
    void provenanceCannotBeSetFromOutsideThePackage() {
        assertThat(Modifier.isFinal(MessageEnvelope.class.getModifiers())).isTrue();
        assertThat(Modifier.isFinal(MessageSigner.class.getModifiers())).isTrue();
        assertThat(Modifier.isFinal(AgentKeypair.class.getModifiers())).isTrue();
        assertThat(MessageEnvelope.class.getConstructors()).as("no public constructor").isEmpty();
        Arrays.stream(MessageEnvelope.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.getName().equals("decodedHeader"))
                .forEach(f -> {
                    assertThat(Modifier.isFinal(f.getModifiers())).as(f.getName()).isTrue();
                    assertThat(Modifier.isPublic(f.getModifiers())).as(f.getName()).isFalse();
                });
    }

    private static ReasonCode code(Checked<AuthenticatedMessage> c) {
        assertThat(c).isInstanceOf(Checked.Failed.class);
        return ((Checked.Failed<AuthenticatedMessage>) c).failure().code();
    }
}
