package dev.moat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class Ed25519Test {
    static final Ed25519PrivateKey KEY = TestKeys.key("root");
    static final byte[] MSG = "m".getBytes(StandardCharsets.UTF_8);

    @Test
    void signatureVerifiesOnlyUnderItsOwnDomain() {
        byte[] sig = KEY.sign(Domain.TOKEN, MSG);
        assertThat(KEY.publicKey().verify(Domain.TOKEN, MSG, sig)).isTrue();
        for (Domain d : Domain.values()) {
            if (d != Domain.TOKEN) {
                assertThat(KEY.publicKey().verify(d, MSG, sig)).as(d.tag()).isFalse();
            }
        }
        assertThat(KEY.publicKey().verifyRaw(MSG, sig)).isFalse();
        assertThat(KEY.publicKey().verifyRaw(Domain.TOKEN.frame(MSG), sig)).isTrue();
    }

    @Test
    void frameIsTagZeroBytes() {
        byte[] f = Domain.MESSAGE.frame(MSG);
        assertThat(new String(f, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("moat/v1/message");
        assertThat(f[15]).isZero();
        assertThat(Arrays.copyOfRange(f, 16, f.length)).isEqualTo(MSG);
    }

    @Test
    void malformedSignaturesNeverVerifyAndNeverThrow() {
        byte[] sig = KEY.sign(Domain.TOKEN, MSG);
        assertThat(KEY.publicKey().verify(Domain.TOKEN, MSG, Arrays.copyOf(sig, 63))).isFalse();
        assertThat(KEY.publicKey().verify(Domain.TOKEN, MSG, null)).isFalse();
        assertThat(KEY.publicKey().verify(Domain.TOKEN, null, sig)).isFalse();
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff);
        assertThat(KEY.publicKey().verify(Domain.TOKEN, MSG, ones)).isFalse();
    }

    @Test
    void invalidPublicKeysAreRefused() {
        byte[] identity = new byte[32];
        identity[0] = 1;
        assertThatThrownBy(() -> Ed25519PublicKey.of(identity)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519PublicKey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519PrivateKey.fromSeed(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void domainTagsAreDistinct() {
        assertThat(Arrays.stream(Domain.values()).map(Domain::tag)).doesNotHaveDuplicates().allMatch(t -> t.startsWith("moat/v1/"));
    }

    @Test
    void constantTimeEqualHandlesNulls() {
        assertThat(ConstantTime.equal(new byte[] {1}, new byte[] {1})).isTrue();
        assertThat(ConstantTime.equal((byte[]) null, new byte[] {1})).isFalse();
        assertThat(ConstantTime.equal("a", "a")).isTrue();
        assertThat(ConstantTime.equal("a", null)).isFalse();
    }
}
