package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PolicyBindingTest {
    static final byte[] POLICY = "allow all".getBytes(StandardCharsets.UTF_8);

    @Test
    void hashIsDomainSeparated() {
        assertThat(PolicyBinding.of("p", POLICY).sha256()).isEqualTo(Sha256.hash(Domain.POLICY, POLICY)).isNotEqualTo(Sha256.hash(POLICY));
    }

    @Test
    void matchesOnlySameIdAndBytes() {
        PolicyBinding a = PolicyBinding.of("p", POLICY);
        assertThat(a.matches(PolicyBinding.of("p", POLICY))).isTrue();
        assertThat(a.matches(PolicyBinding.of("q", POLICY))).isFalse();
        assertThat(a.matches(PolicyBinding.of("p", "allow none".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(a.matches(null)).isFalse();
    }

    @Test
    void invalidIdOrHashIsRefused() {
        assertThatThrownBy(() -> new PolicyBinding("", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyBinding("a b", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolicyBinding("p", new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }
}
