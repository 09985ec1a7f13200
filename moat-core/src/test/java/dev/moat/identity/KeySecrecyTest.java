package dev.moat.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.InsecureKeyExport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KeySecrecyTest {
    private static final byte[] SEED = TestKeys.seed("secret-agent");

    /** The seed (and its first 8 bytes) in every encoding someone might log. */
    private static List<String> encodings() {
        List<String> out = new ArrayList<>();
        for (byte[] b : List.of(SEED, Arrays.copyOf(SEED, 8))) {
            out.add(HexFormat.of().formatHex(b));
            out.add(HexFormat.of().withUpperCase().formatHex(b));
            out.add(Base64.getEncoder().encodeToString(b));
            out.add(Base64.getEncoder().withoutPadding().encodeToString(b));
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
            out.add(Arrays.toString(b));
        }
        return out;
    }

    @Test
    void privateKeyToStringLeaksNoSeedBytes() {
        String s = Ed25519PrivateKey.fromSeed(SEED).toString();
        for (String e : encodings()) {
            assertThat(s).doesNotContain(e);
        }
    }

    @Test
    void keypairToStringLeaksNoSeedBytes() {
        AgentKeypair kp = AgentKeypair.of("secret-agent", Ed25519PrivateKey.fromSeed(SEED));
        String s = kp.toString();
        assertThat(s).contains(kp.id().value());
        for (String e : encodings()) {
            assertThat(s).doesNotContain(e);
        }
    }

    @Test
    void seedLeavesOnlyThroughTheExplicitExport() {
        Ed25519PrivateKey k = Ed25519PrivateKey.fromSeed(SEED);
        assertThat(k.exportSeed(InsecureKeyExport.ACCESS)).isEqualTo(SEED);
        assertThat(k.exportSeed(InsecureKeyExport.ACCESS)).isNotSameAs(k.exportSeed(InsecureKeyExport.ACCESS));
    }

    @Test
    void keyTypesHaveIdentityEqualityOnly() {
        Ed25519PrivateKey a = Ed25519PrivateKey.fromSeed(SEED);
        Ed25519PrivateKey b = Ed25519PrivateKey.fromSeed(SEED);
        assertThat(a).isNotEqualTo(b);
        assertThat(AgentKeypair.of("x", a)).isNotEqualTo(AgentKeypair.of("x", a));
    }

    @Test
    void fromSeedCopiesItsInput() {
        byte[] seed = SEED.clone();
        Ed25519PrivateKey k = Ed25519PrivateKey.fromSeed(seed);
        Arrays.fill(seed, (byte) 0);
        assertThat(k.exportSeed(InsecureKeyExport.ACCESS)).isEqualTo(SEED);
    }
}
