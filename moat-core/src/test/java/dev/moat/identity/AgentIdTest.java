package dev.moat.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.TestKeys;
import dev.moat.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AgentIdTest {
    private static final Ed25519PublicKey ROOT = TestKeys.key("root").publicKey();

    /** RFC 4648 base32, lowercase, written independently of the code under test. */
    private static String base32(byte[] data) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < data.length * 8; bit += 5) {
            int v = 0;
            for (int k = 0; k < 5; k++) {
                int b = bit + k;
                v = (v << 1) | (b < data.length * 8 ? (data[b / 8] >> (7 - b % 8)) & 1 : 0);
            }
            sb.append(alphabet.charAt(v));
        }
        return sb.toString();
    }

    @Test
    void idIsTruncatedDomainSeparatedSha256OfTheKeyInBase32() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("moat/v1/agent-id".getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        byte[] h = sha.digest(ROOT.bytes());
        assertThat(AgentId.of(ROOT).value()).isEqualTo("agent:" + base32(Arrays.copyOf(h, 20)));
    }

    @Test
    void derivationIsStableAcrossCallsAndKeyCopies() {
        Ed25519PublicKey copy = Ed25519PublicKey.of(ROOT.bytes());
        assertThat(AgentId.of(copy)).isEqualTo(AgentId.of(ROOT));
        assertThat(TestKeys.agent("root").id()).isEqualTo(AgentId.of(ROOT));
    }

    @Test
    void idHasPrefixAnd32Base32Characters() {
        assertThat(AgentId.of(ROOT).value()).matches("agent:[a-z2-7]{32}");
    }

    @Test
    void differentKeysGiveDifferentIds() {
        assertThat(AgentId.of(TestKeys.key("alice").publicKey())).isNotEqualTo(AgentId.of(ROOT));
    }

    @Test
    void matchesOnlyItsOwnKey() {
        AgentId id = AgentId.of(ROOT);
        assertThat(id.matches(ROOT)).isTrue();
        assertThat(id.matches(TestKeys.key("alice").publicKey())).isFalse();
        assertThat(id.matches(null)).isFalse();
    }

    @Test
    void parseRefusesMalformedText() {
        String valid = AgentId.of(ROOT).value();
        assertThat(AgentId.parse(valid).value()).isEqualTo(valid);
        for (String bad : new String[] {"", "agent:", valid.toUpperCase(), valid + "a", valid.substring(0, 37), "agent:" + "1".repeat(32), "agnt:" + valid.substring(6) + "a"}) {
            assertThatThrownBy(() -> AgentId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AgentId.isWellFormed(null)).isFalse();
    }

    @Test
    void shortFormIsTwelveCharactersAfterThePrefix() {
        AgentId id = AgentId.of(ROOT);
        assertThat(id.shortForm()).hasSize(12).isEqualTo(id.value().substring(6, 18));
    }
}
