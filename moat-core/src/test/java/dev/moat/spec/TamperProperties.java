package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.Checked;
import dev.moat.crypto.Base64Url;
import dev.moat.message.MessageSigner;
import dev.moat.message.MessageVerifier;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenForge;
import dev.moat.token.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Changing any single byte of a signed chain or message makes verification fail (with any code). */
class TamperProperties {
    static final TokenChain CHAIN = TokenForge.chain(List.of(Fixture.rootToAlice().signed(), Fixture.aliceToBob().signed()));
    static final byte[] CHAIN_WIRE = CHAIN.encoded();
    static final byte[] MESSAGE_WIRE = new MessageSigner(Fixture.BOB, CHAIN, TestKeys.clock(), "pep-a")
            .signWithSequence(1, "host", "tool://mail/read", "read", "{\"q\":1}".getBytes(StandardCharsets.UTF_8),
                    PolicyBinding.of("p", new byte[0])).encode();
    static final TokenVerifier TOKENS = TokenVerifier.builder().trustRoot(Fixture.ROOT.id()).clock(TestKeys.clock()).build();
    static final MessageVerifier MESSAGES = new MessageVerifier();

    static byte[] flip(byte[] wire, int index, int mask) {
        byte[] b = wire.clone();
        int i = Math.floorMod(index, b.length);
        b[i] = (byte) (b[i] ^ mask);
        return b;
    }

    @Property(tries = 1000)
    void flippingAnyByteOfAChainFailsVerification(@ForAll @IntRange(min = 0, max = 1 << 20) int index, @ForAll @IntRange(min = 1, max = 255) int mask) {
        assertThat(TOKENS.verify(CHAIN_WIRE).isOk()).isTrue();
        Checked<?> result = TOKENS.verify(flip(CHAIN_WIRE, index, mask));
        assertThat(result.isOk()).isFalse();
    }

    @Property(tries = 1000)
    void flippingAnyByteOfAMessageFailsVerification(@ForAll @IntRange(min = 0, max = 1 << 20) int index, @ForAll @IntRange(min = 1, max = 255) int mask) {
        assertThat(MESSAGES.verify(MESSAGE_WIRE).isOk()).isTrue();
        assertThat(MESSAGES.verify(flip(MESSAGE_WIRE, index, mask)).isOk()).isFalse();
    }

    @Property(tries = 500)
    void flippingAnyByteOfASignedPayloadFailsVerification(@ForAll @IntRange(min = 0, max = 1) int link,
            @ForAll @IntRange(min = 0, max = 1 << 20) int index, @ForAll @IntRange(min = 1, max = 255) int mask) {
        List<Map<String, Object>> links = TokenForge.links(CHAIN);
        byte[] payload = Base64Url.decode((String) links.get(link).get("payload"));
        links.get(link).put("payload", Base64Url.encode(flip(payload, index, mask)));
        assertThat(TOKENS.verify(TokenForge.wire(links)).isOk()).isFalse();
    }
}
