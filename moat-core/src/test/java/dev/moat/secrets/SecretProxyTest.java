package dev.moat.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SecretProxyTest {
    private final SecretFixtures f = new SecretFixtures("127.0.0.1");
    private static final SecretUse ENV = SecretUse.processEnv("TOKEN");

    private static ReasonCode code(Checked<?> c) {
        return c.failureOrNull().code();
    }

    @Test
    void handlesAreOpaqueUniqueAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
            assertThat(h.value()).startsWith(SecretHandle.PREFIX).hasSize(SecretHandle.PREFIX.length() + 43);
            assertThat(SecretHandle.isWellFormed(h.value())).isTrue();
            assertThat(h.value()).doesNotContain(SecretFixtures.SHELL_VALUE);
            assertThat(seen.add(h.value())).isTrue();
        }
    }

    @Test
    void ownerResolves() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        assertThat(f.proxy.resolve(f.a, h.value(), ENV).isOk()).isTrue();
        assertThat(f.events).singleElement().satisfies(e -> {
            assertThat(e.granted()).isTrue();
            assertThat(e.agent()).isEqualTo(f.a);
            assertThat(e.handle()).isEqualTo(h.value());
            assertThat(e.secretNameHash()).isEqualTo(SecretFixtures.SHELL.hash());
        });
    }

    @Test
    void agentBUsingAgentAsHandleIsDenied() {
        SecretHandle aHandle = f.issue(f.a, SecretFixtures.SHELL);
        // b is granted the same secret, but a's handle is bound to a
        Checked<Lease> r = f.proxy.resolve(f.b, aHandle.value(), ENV);
        assertThat(code(r)).isEqualTo(ReasonCode.NOT_SUBJECT);
        assertThat(f.events).singleElement().satisfies(e -> {
            assertThat(e.granted()).isFalse();
            assertThat(e.denial()).isEqualTo(SecretDenial.WRONG_AGENT);
            assertThat(e.agent()).isEqualTo(f.b);
        });
    }

    @Test
    void issuingNeedsAGrant() {
        assertThat(code(f.proxy.issue(f.b, SecretFixtures.CRM))).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(code(f.proxy.issue(f.a, SecretName.of("never-declared")))).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void revokingAHandleMidRunStopsTheNextResolution() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        SecretHandle other = f.issue(f.a, SecretFixtures.SHELL);
        assertThat(f.proxy.resolve(f.a, h.value(), ENV).isOk()).isTrue();
        f.proxy.revoke(h);
        assertThat(code(f.proxy.resolve(f.a, h.value(), ENV))).isEqualTo(ReasonCode.REVOKED);
        assertThat(f.proxy.resolve(f.a, other.value(), ENV).isOk()).isTrue();
        assertThat(f.events).extracting(SecretResolutionEvent::denial)
                .containsExactly(null, SecretDenial.HANDLE_REVOKED, null);
    }

    @Test
    void revokingTheSecretStopsEveryHandleAndIssuing() {
        SecretHandle ha = f.issue(f.a, SecretFixtures.SHELL);
        SecretHandle hb = f.issue(f.b, SecretFixtures.SHELL);
        f.proxy.revokeSecret(SecretFixtures.SHELL);
        assertThat(code(f.proxy.resolve(f.a, ha.value(), ENV))).isEqualTo(ReasonCode.REVOKED);
        assertThat(code(f.proxy.resolve(f.b, hb.value(), ENV))).isEqualTo(ReasonCode.REVOKED);
        assertThat(code(f.proxy.issue(f.a, SecretFixtures.SHELL))).isEqualTo(ReasonCode.REVOKED);
        // a revoked secret is still redacted
        assertThat(f.proxy.redactor().redact("x" + SecretFixtures.SHELL_VALUE)).isEqualTo("x" + Redactor.MASK);
    }

    @Test
    void revokingTheAgentStopsItsHandlesOnly() {
        SecretHandle ha = f.issue(f.a, SecretFixtures.SHELL);
        SecretHandle hb = f.issue(f.b, SecretFixtures.SHELL);
        f.proxy.revokeAgent(f.a);
        assertThat(code(f.proxy.resolve(f.a, ha.value(), ENV))).isEqualTo(ReasonCode.REVOKED);
        assertThat(f.proxy.resolve(f.b, hb.value(), ENV).isOk()).isTrue();
        assertThat(code(f.proxy.issue(f.a, SecretFixtures.SHELL))).isEqualTo(ReasonCode.REVOKED);
    }

    @Test
    void withdrawnGrantStopsExistingHandles() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        f.proxy.revokeGrant(f.a, SecretFixtures.SHELL);
        assertThat(code(f.proxy.resolve(f.a, h.value(), ENV))).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void handlesExpire() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        f.clock.advance(Duration.ofMinutes(29));
        assertThat(f.proxy.resolve(f.a, h.value(), ENV).isOk()).isTrue();
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(code(f.proxy.resolve(f.a, h.value(), ENV))).isEqualTo(ReasonCode.EXPIRED);
    }

    @Test
    void malformedAndUnknownHandlesAreDeniedWithoutEchoingTheText() {
        assertThat(code(f.proxy.resolve(f.a, "moat-secret:" + SecretFixtures.DB_VALUE, ENV))).isEqualTo(ReasonCode.MALFORMED);
        SecretHandle forged = SecretHandle.parse(SecretHandle.PREFIX + "A".repeat(42) + "A");
        assertThat(code(f.proxy.resolve(f.a, forged.value(), ENV))).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(f.events).extracting(SecretResolutionEvent::denial)
                .containsExactly(SecretDenial.MALFORMED_HANDLE, SecretDenial.UNKNOWN_HANDLE);
        assertThat(f.events.get(0).handle()).isEmpty();
    }

    @Test
    void useMustBeDeclared() {
        SecretHandle crm = f.issue(f.a, SecretFixtures.CRM);
        assertThat(code(f.proxy.resolve(f.a, crm.value(), ENV))).isEqualTo(ReasonCode.NOT_GRANTED);
        SecretHandle db = f.issue(f.a, SecretFixtures.DB);
        assertThat(code(f.proxy.resolve(f.a, db.value(), SecretUse.httpHeader(java.net.URI.create("https://127.0.0.1/")))))
                .isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(f.events).extracting(SecretResolutionEvent::denial)
                .containsOnly(SecretDenial.USE_NOT_ALLOWED);
    }

    @Test
    void failingListenerDeniesAGrant() {
        SecretProxy p = SecretProxy.builder()
                .listener(e -> {
                    throw new IllegalStateException("audit down");
                })
                .build();
        p.declare(SecretDeclaration.builder(SecretFixtures.SHELL, SecretSource.memory(SecretFixtures.SHELL_VALUE.toCharArray())).processEnv().build());
        p.grant(f.a, SecretFixtures.SHELL);
        SecretHandle h = p.issue(f.a, SecretFixtures.SHELL).orThrow();
        assertThat(code(p.resolve(f.a, h.value(), ENV))).isEqualTo(ReasonCode.INTERNAL);
    }

    @Test
    void misconfigurationThrowsWithoutValues() {
        assertThatThrownBy(() -> f.proxy.declare(SecretDeclaration.builder(SecretName.of("missing"), SecretSource.env("NOPE")).build()))
                .isInstanceOf(MoatException.class);
        assertThatThrownBy(() -> f.proxy.declare(SecretDeclaration.builder(SecretFixtures.DB, SecretSource.memory("another-value".toCharArray())).build()))
                .isInstanceOf(MoatException.class);
        assertThatThrownBy(() -> f.proxy.declare(SecretDeclaration.builder(SecretName.of("tiny"), SecretSource.memory("abc".toCharArray())).build()))
                .isInstanceOf(MoatException.class);
        assertThatThrownBy(() -> f.proxy.grant(f.a, SecretName.of("undeclared"))).isInstanceOf(MoatException.class);
    }

    @Test
    void handleCountIsCapped() {
        SecretProxy p = SecretProxy.builder().maxHandles(3).build();
        p.declare(SecretDeclaration.builder(SecretFixtures.SHELL, SecretSource.memory(SecretFixtures.SHELL_VALUE.toCharArray())).build());
        p.grant(f.a, SecretFixtures.SHELL);
        for (int i = 0; i < 3; i++) {
            assertThat(p.issue(f.a, SecretFixtures.SHELL).isOk()).isTrue();
        }
        assertThat(code(p.issue(f.a, SecretFixtures.SHELL))).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void fileSourceDropsOneTrailingNewline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("token");
        java.nio.file.Files.writeString(file, SecretFixtures.SHELL_VALUE + "\n");
        SecretProxy p = SecretProxy.builder().build();
        p.declare(SecretDeclaration.builder(SecretFixtures.SHELL, SecretSource.file(file)).processEnv().build());
        assertThat(p.redactor().redact("[" + SecretFixtures.SHELL_VALUE + "]")).isEqualTo("[" + Redactor.MASK + "]");
        assertThatThrownBy(() -> p.declare(SecretDeclaration.builder(SecretName.of("gone"), SecretSource.file(dir.resolve("absent"))).build()))
                .isInstanceOf(MoatException.class);
    }
}
