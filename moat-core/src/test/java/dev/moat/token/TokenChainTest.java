package dev.moat.token;

import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.rootToAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TokenChainTest {
    static final TokenChain TWO = TokenForge.chain(List.of(rootToAlice().signed(), aliceToBob().signed()));

    @Test
    void parseOfEncodedIsTheSameChain() {
        TokenChain again = TokenChain.parse(TWO.encoded()).orThrow();
        assertThat(again.encoded()).isEqualTo(TWO.encoded());
        assertThat(again.hash()).isEqualTo(TWO.hash());
        assertThat(TokenChain.parse(TWO.toJson()).orThrow().size()).isEqualTo(2);
    }

    @Test
    void hashIsDomainSeparatedSha256OfTheWireBytes() {
        assertThat(TWO.hash()).isEqualTo(Sha256.hash(Domain.CHAIN, TWO.encoded()));
    }

    @Test
    void claimsDecodeWithoutVerification() {
        assertThat(TWO.leafClaims().orThrow()).isEqualTo(aliceToBob().token());
        assertThat(TWO.claimsAt(0).orThrow()).isEqualTo(rootToAlice().token());
    }

    @Test
    void nullAndGarbageAreMalformedNotExceptions() {
        assertThat(TokenChain.parse((String) null).failureOrNull().code()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(TokenChain.parse((byte[]) null).failureOrNull().code()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(TokenChain.parse("[]".getBytes(StandardCharsets.UTF_8)).failureOrNull().code()).isEqualTo(ReasonCode.MALFORMED);
        assertThat(TokenChain.parse(TWO.encoded(), null).failureOrNull().code()).isEqualTo(ReasonCode.MALFORMED);
    }

    @Test
    void oversizedChainIsRefusedBeforeParsing() {
        byte[] big = new byte[2 << 20];
        assertThat(TokenChain.parse(big).failureOrNull().code()).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void toStringShowsNoTokenContent() {
        assertThat(TWO.toString()).isEqualTo("TokenChain[links=2]");
    }
}
