package dev.moat.pep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageForge;
import dev.moat.message.MessageSigner;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PEP's in-process fast path (spec/PROTOCOL.md 10.5): a signer's own envelope is decided
 * without re-verifying its signature; everything else, whatever signer is named with it, is
 * verified in full.
 */
@Timeout(60)
class InProcessFastPathTest {
    private final PepFixture f = new PepFixture();

    @Test
    void theSignersOwnEnvelopeIsAllowedAndRecorded() {
        PolicyEnforcementPoint pep = f.pep();
        MessageEnvelope env = f.call("tool://search", "execute");
        Decision d = pep.evaluate(env, f.signer());
        assertThat(d.allowed()).isTrue();
        assertThat(f.recorded).containsExactly(d);
        // every other stage still runs on the fast path: a replay of the same object is refused
        Decision again = pep.evaluate(env, f.signer());
        assertThat(((Decision.Deny) again).code()).isEqualTo(ReasonCode.REPLAY);
        // and so is an ungranted action
        Decision.Deny ungranted = (Decision.Deny) pep.evaluate(f.call("tool://search", "delete"), f.signer());
        assertThat(ungranted.code()).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void anEnvelopeBuiltOutsideTheGuardWithABadSignatureIsRefusedWhateverSignerIsNamed() {
        PolicyEnforcementPoint pep = f.pep();
        MessageSigner signer = f.signer();
        MessageEnvelope genuine = f.call("tool://search", "execute");
        String wire = genuine.toJson();
        // flip one bit of the signature in the wire text: a forgery from outside
        int at = wire.lastIndexOf("\"sig\":\"") + 10; // the message signature (chain links have one too)
        char c = wire.charAt(at);
        String forgedWire = wire.substring(0, at) + (c == 'A' ? 'B' : 'A') + wire.substring(at + 1);
        MessageEnvelope forged = MessageEnvelope.parse(forgedWire.getBytes(StandardCharsets.UTF_8)).orThrow();
        assertThat(forged.isSignedBy(signer)).isFalse();

        Decision.Deny viaEnvelope = (Decision.Deny) pep.evaluate(forged, signer);
        assertThat(viaEnvelope.stage()).isEqualTo(Stage.AUTHENTICATION);
        assertThat(viaEnvelope.code()).isEqualTo(ReasonCode.BAD_SIGNATURE);
        Decision.Deny viaBytes = (Decision.Deny) pep.evaluate(forgedWire.getBytes(StandardCharsets.UTF_8));
        assertThat(viaBytes.code()).isEqualTo(ReasonCode.BAD_SIGNATURE);

        // built from raw parts in memory, a signature of 64 zero bytes
        MessageEnvelope zeros = MessageForge.envelope(Base64Url.decode(field(wire, "key")), genuine.header(), new byte[64],
                genuine.body(), genuine.chain());
        assertThat(((Decision.Deny) pep.evaluate(zeros, signer)).code()).isEqualTo(ReasonCode.BAD_SIGNATURE);
        // the genuine one, never seen by this PEP, still passes after all of that
        assertThat(pep.evaluate(genuine, signer).allowed()).isTrue();
    }

    @Test
    void wireBytesOfAnInProcessEnvelopeAreVerifiedInFullAndStillAllowed() {
        PolicyEnforcementPoint pep = f.pep();
        MessageEnvelope env = f.call("tool://search", "execute");
        MessageEnvelope parsed = MessageEnvelope.parse(env.encode()).orThrow();
        assertThat(parsed.isSignedBy(f.signer())).isFalse();
        assertThat(pep.evaluate(env.encode()).allowed()).isTrue();
    }

    private static String field(String json, String name) {
        int from = json.lastIndexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(from, json.indexOf('"', from));
    }
}
