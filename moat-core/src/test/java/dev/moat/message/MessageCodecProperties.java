package dev.moat.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.policy.PolicyBinding;
import dev.moat.spec.Fixture;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenForge;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** decode(encode(x)) == x for message envelopes and headers. */
class MessageCodecProperties {
    static final TokenChain CHAIN = TokenForge.chain(List.of(Fixture.rootToAlice().signed(), Fixture.aliceToBob().signed()));

    @Property(tries = 200)
    void envelopesSurviveTheWire(
            @ForAll @Size(max = 300) byte[] body,
            @ForAll @LongRange(min = 0) long seq,
            @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long epochMillis,
            @ForAll @AlphaChars @StringLength(min = 1, max = 20) String segment) {
        PolicyBinding policy = PolicyBinding.of("p-" + segment, segment.getBytes(StandardCharsets.UTF_8));
        MessageSigner signer = new MessageSigner(Fixture.BOB, CHAIN, TestKeys.clockAt(Instant.ofEpochMilli(epochMillis)), "pep-a");
        MessageEnvelope env = signer.signWithSequence(seq, "host", "tool://" + segment + "/caf\u00e9", "read", body, policy);
        byte[] wire = env.encode();
        MessageEnvelope parsed = MessageEnvelope.parse(wire).orThrow();
        assertThat(parsed.encode()).isEqualTo(wire);
        assertThat(parsed.body()).isEqualTo(body);
        AuthenticatedMessage m = new MessageVerifier().verify(wire).orThrow();
        assertThat(m.sequence()).isEqualTo(seq);
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochMilli(epochMillis));
        assertThat(m.policy()).isEqualTo(policy);
        assertThat(MessageHeader.decode(parsed.header())).isEqualTo(m.header());
    }
}
