package dev.moat.token;

import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.minutes;
import static dev.moat.spec.Fixture.rootToAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.ReasonCode;
import dev.moat.spec.Fixture;
import dev.moat.token.TokenForge.Claims;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A malicious issuer hand-signs a broadened child: the verifier refuses it as BROADENED. */
@Timeout(30)
class VerifierAttenuationTest {
    static final TokenVerifier VERIFIER = TokenVerifier.builder().trustRoot(Fixture.ROOT.id()).clock(TestKeys.clock()).build();

    static ResourceLimits.Builder bobLimits() {
        return ResourceLimits.builder().maxFuel(500_000L).maxMemoryBytes(32L << 20).maxWallTime(Duration.ofSeconds(10))
                .allowHosts(List.of("api.example.com")).readPaths(List.of("/data/reports")).writePaths(List.of("/data/out/bob"));
    }

    static Arguments rule(String rule, Consumer<Claims> change) {
        return Arguments.of(rule, change);
    }

    static Stream<Arguments> broadenings() {
        return Stream.of(
                rule("scope", c -> c.allow("tool://admin/**", "read")),
                rule("actions", c -> c.allow("tool://search", "execute", "write")),
                rule("denials", c -> c.deny.remove(0)),
                rule("limit.fuel", c -> c.limits = bobLimits().maxFuel(null).build()),
                rule("limit.memory", c -> c.limits = bobLimits().maxMemoryBytes((64L << 20) + 1).build()),
                rule("limit.wall_time", c -> c.limits = bobLimits().maxWallTime(Duration.ofMillis(30_001)).build()),
                rule("limit.hosts", c -> c.limits = bobLimits().allowHosts(List.of("example.org")).build()),
                rule("limit.fs_read", c -> c.limits = bobLimits().readPaths(List.of("/datab")).build()),
                rule("limit.fs_write", c -> c.limits = bobLimits().writePaths(List.of("/data/outside")).build()),
                rule("expiry", c -> c.exp = minutes(24 * 60).plusMillis(1)),
                rule("issued_at", c -> c.iat = minutes(-60).minusMillis(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broadenings")
    void handSignedBroadeningIsRefused(String rule, Consumer<Claims> change) {
        Claims child = aliceToBob();
        change.accept(child);
        TokenChain chain = TokenForge.chain(List.of(rootToAlice().signed(), child.signed()));
        assertThat(VERIFIER.verify(chain).failureOrNull().code()).isEqualTo(ReasonCode.BROADENED);
        assertThat(Attenuation.violation(rootToAlice().token(), child.token())).isEqualTo(rule);
    }

    @Test
    void networkReenabledTwoLinksDownIsRefused() {
        Claims noNet = aliceToBob();
        noNet.limits = bobLimits().allowHosts(null).build();
        Claims reNet = noNet.child("re-net", Fixture.BOB, Fixture.CAROL.id());
        reNet.limits = bobLimits().build();
        TokenChain chain = TokenForge.chain(List.of(rootToAlice().signed(), noNet.signed(), reNet.signed()));
        assertThat(VERIFIER.verify(chain).failureOrNull().code()).isEqualTo(ReasonCode.BROADENED);
        assertThat(Attenuation.violation(noNet.token(), reNet.token())).isEqualTo("limit.network");
    }

    @Test
    void theUnbroadenedChildVerifies() {
        TokenChain chain = TokenForge.chain(List.of(rootToAlice().signed(), aliceToBob().signed()));
        assertThat(VERIFIER.verify(chain).failureOrNull()).isNull();
    }

    @Test
    void identicalChildIsNotABroadening() {
        Claims same = rootToAlice().child("same", Fixture.ALICE, Fixture.BOB.id());
        assertThat(Attenuation.violation(rootToAlice().token(), same.token())).isNull();
    }
}
