package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.TestKeys;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.TokenForge.Claims;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CapabilityTokenTest {
    private static final AgentKeypair ROOT = TestKeys.agent("root");
    private static final AgentKeypair ALICE = TestKeys.agent("alice");

    private static CapabilityToken token() {
        return Claims.root("t", ROOT, ALICE.id(), TestKeys.NOW, TestKeys.NOW.plusSeconds(60))
                .allow("tool://**", "*")
                .allow("file:///data/**", "read")
                .deny("tool://pay/**", "execute")
                .token();
    }

    @Test
    void denialWinsOverAWiderAllow() {
        assertThat(token().evaluate("tool://pay/send", "execute")).isEqualTo(ReasonCode.EXPLICITLY_DENIED);
        assertThat(token().evaluate("tool://pay/send", "read")).isNull();
    }

    @Test
    void missingGrantIsNotGranted() {
        assertThat(token().evaluate("file:///data/x", "write")).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(token().evaluate("file:///etc/passwd", "read")).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void wildcardActionInARequestIsRefused() {
        // Regression: "*" as the requested action slipped past the denial of "execute".
        assertThat(token().evaluate("tool://pay/send", "*")).isEqualTo(ReasonCode.INVALID_RESOURCE);
        assertThat(token().isActionAllowed("tool://pay/send", "*")).isFalse();
    }

    @Test
    void traversalInRequestsIsInvalid() {
        for (String r : List.of("file:///data/../etc/passwd", "file:///data/./x", "file:///data//x", "file:///data/%2e%2e/x", "file:///data\\x")) {
            assertThat(token().evaluate(r, "read")).as(r).isEqualTo(ReasonCode.INVALID_RESOURCE);
        }
        assertThat(token().evaluate(null, "read")).isEqualTo(ReasonCode.INVALID_RESOURCE);
        assertThat(token().evaluate("tool://x", null)).isEqualTo(ReasonCode.INVALID_RESOURCE);
        assertThat(token().evaluate("tool://x", "")).isEqualTo(ReasonCode.INVALID_RESOURCE);
    }

    @Test
    void constructorRefusesInconsistentClaims() {
        Claims c = Claims.root("t", ROOT, ALICE.id(), TestKeys.NOW, TestKeys.NOW.plusSeconds(60)).allow("tool://x", "read");
        Claims noParent = c.copy();
        noParent.depth = 1;
        assertThatThrownBy(noParent::token).isInstanceOf(IllegalArgumentException.class);
        Claims expiry = c.copy();
        expiry.exp = expiry.iat;
        assertThatThrownBy(expiry::token).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapabilityToken("x", ALICE.id(), ROOT.publicKey(), ALICE.id(), null, 0,
                List.of(), List.of(), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, TestKeys.NOW, TestKeys.NOW.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scopeActionsAreSortedAndDeduplicated() {
        assertThat(Scope.of("tool://x", "write", "read", "write").actions()).containsExactly("read", "write");
        assertThatThrownBy(() -> Scope.of("tool://x", "Read")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scope.of("tool://x")).isInstanceOf(IllegalArgumentException.class);
    }
}
