package dev.moat.token;

import static dev.moat.spec.Fixture.ALICE;
import static dev.moat.spec.Fixture.BOB;
import static dev.moat.spec.Fixture.MALLORY;
import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.minutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.spec.Fixture;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TokenChain#delegate} refuses every broadening, naming the rule. */
@Timeout(30)
class DelegateAttenuationTest {

    static TokenChain rootChain(ResourceLimits limits) {
        return TokenChain.issue(ROOT, Grant.to(ALICE.id())
                .allow("tool://*/read", "read").allow("tool://search", "execute")
                .deny("tool://admin/read", "*")
                .limits(limits).issuedAt(minutes(-60)).expiresAt(minutes(60)).build());
    }

    static Grant.Builder narrower() {
        return Grant.to(BOB.id()).allow("tool://mail/read", "read").issuedAt(minutes(-30)).expiresAt(minutes(30));
    }

    static ResourceLimits.Builder tight() {
        return ResourceLimits.builder().maxFuel(1_000L).maxMemoryBytes(1L << 20).maxWallTime(Duration.ofSeconds(1))
                .allowHosts(List.of("api.example.com")).readPaths(List.of("/data/reports")).writePaths(List.of("/data/out/x"));
    }

    static Stream<Arguments> broadenings() {
        return Stream.of(
                Arguments.of("scope", (UnaryOperator<Grant.Builder>) g -> g.allow("tool://admin/**", "read")),
                Arguments.of("scope", (UnaryOperator<Grant.Builder>) g -> g.allow("tool://**", "read")),
                Arguments.of("actions", (UnaryOperator<Grant.Builder>) g -> g.allow("tool://search", "execute", "write")),
                Arguments.of("actions", (UnaryOperator<Grant.Builder>) g -> g.allow("tool://mail/read", "*")),
                Arguments.of("limit.fuel", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().maxFuel(2_000_000L).build())),
                Arguments.of("limit.fuel", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().maxFuel(null).build())),
                Arguments.of("limit.memory", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().maxMemoryBytes(1L << 40).build())),
                Arguments.of("limit.wall_time", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().maxWallTime(Duration.ofHours(1)).build())),
                Arguments.of("limit.hosts", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().allowHosts(List.of("evil.example.com")).build())),
                Arguments.of("limit.fs_read", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().readPaths(List.of("/etc")).build())),
                Arguments.of("limit.fs_write", (UnaryOperator<Grant.Builder>) g -> g.limits(tight().writePaths(List.of("/")).build())),
                Arguments.of("expiry", (UnaryOperator<Grant.Builder>) g -> g.expiresAt(minutes(61))),
                Arguments.of("issued_at", (UnaryOperator<Grant.Builder>) g -> g.issuedAt(minutes(-61))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broadenings")
    void delegateRefusesBroadening(String rule, UnaryOperator<Grant.Builder> change) {
        TokenChain parent = rootChain(Fixture.rootLimits());
        assertThat(parent.delegate(ALICE, narrower().limits(tight().build()).build()).size()).isEqualTo(2);
        assertThatThrownBy(() -> parent.delegate(ALICE, change.apply(narrower().limits(tight().build())).build()))
                .isInstanceOfSatisfying(AttenuationException.class, e -> assertThat(e.rule()).isEqualTo(rule));
    }

    @Test
    void networkCannotBeReenabled() {
        TokenChain parent = rootChain(ResourceLimits.UNLIMITED_COMPUTE_NO_IO);
        assertThatThrownBy(() -> parent.delegate(ALICE, narrower().limits(ResourceLimits.builder().allowHosts(List.of("a.example.com")).build()).build()))
                .isInstanceOfSatisfying(AttenuationException.class, e -> assertThat(e.rule()).isEqualTo("limit.network"));
    }

    @Test
    void unlimitedParentLimitMayBecomeLimited() {
        TokenChain parent = rootChain(ResourceLimits.UNLIMITED_COMPUTE_NO_IO);
        TokenChain child = parent.delegate(ALICE, narrower().limits(ResourceLimits.builder().maxFuel(10L).build()).build());
        assertThat(child.leafClaims().orThrow().limits().maxFuel()).isEqualTo(10L);
    }

    @Test
    void onlyTheLeafSubjectMayDelegate() {
        assertThatThrownBy(() -> rootChain(Fixture.rootLimits()).delegate(MALLORY, narrower().build()))
                .isInstanceOfSatisfying(AttenuationException.class, e -> assertThat(e.rule()).isEqualTo("issuer"));
    }

    @Test
    void depthCapIsEnforced() {
        assertThatThrownBy(() -> rootChain(Fixture.rootLimits()).delegate(ALICE, narrower().build(), 0))
                .isInstanceOfSatisfying(AttenuationException.class, e -> assertThat(e.rule()).isEqualTo("depth"));
    }

    @Test
    void parentDenialsAreCarriedOverAndExtendable() {
        TokenChain child = rootChain(Fixture.rootLimits()).delegate(ALICE, narrower().deny("tool://mail/read", "write").build());
        assertThat(child.leafClaims().orThrow().denied())
                .containsExactly(Scope.of("tool://admin/read", "*"), Scope.of("tool://mail/read", "write"));
    }

    @Test
    void unsetLimitsInheritTheParents() {
        TokenChain child = rootChain(Fixture.rootLimits()).delegate(ALICE, narrower().build());
        assertThat(child.leafClaims().orThrow().limits()).isEqualTo(Fixture.rootLimits());
    }

    @Test
    void everyRuleHasADescription() {
        for (String rule : List.of("scope", "actions", "denials", "expiry", "issued_at", "limit.fuel", "limit.memory",
                "limit.wall_time", "limit.network", "limit.hosts", "limit.fs_read", "limit.fs_write")) {
            assertThat(Attenuation.describe(rule)).isNotEqualTo(rule);
        }
    }
}
