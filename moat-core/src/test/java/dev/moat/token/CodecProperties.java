package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.spec.Fixture;
import dev.moat.token.TokenForge.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** decode(encode(x)) == x for token claims and chains. */
class CodecProperties {

    @Provide
    Arbitrary<ResourceLimits> limits() {
        Arbitrary<Long> fuel = Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3);
        Arbitrary<Long> memory = Arbitraries.longs().between(0, 1L << 40).injectNull(0.3);
        Arbitrary<Duration> wall = Arbitraries.longs().between(0, 366L * 24 * 3600 * 1000).map(Duration::ofMillis).injectNull(0.3);
        Arbitrary<List<String>> hosts = Arbitraries.of("api.example.com", "*.example.org", "a.b:8443", "x.io").set().ofMaxSize(3).map(ArrayList::new);
        Arbitrary<List<String>> paths = Arbitraries.of("/", "/data", "/data/out", "/tmp/x y", "/caf\u00e9").set().ofMaxSize(3).map(ArrayList::new);
        return Combinators.combine(fuel, memory, wall, hosts, paths, paths).as((f, m, w, h, r, wr) ->
                ResourceLimits.builder().maxFuel(f).maxMemoryBytes(m).maxWallTime(w).allowHosts(h).readPaths(r).writePaths(wr).build());
    }

    @Property(tries = 200)
    void tokenClaimsSurviveTheWire(
            @ForAll("limits") ResourceLimits limits,
            @ForAll("scopeLists") List<Scope> allow,
            @ForAll("scopeLists") List<Scope> deny,
            @ForAll @LongRange(min = -10_000_000_000L, max = 10_000_000_000L) long iatMillis,
            @ForAll @LongRange(min = 1, max = 10_000_000_000L) long lifetimeMillis) {
        Instant iat = TestKeys.NOW.plusMillis(iatMillis);
        Claims c = Claims.root("codec", Fixture.ROOT, Fixture.ALICE.id(), iat, iat.plusMillis(lifetimeMillis));
        c.allow = allow.isEmpty() ? List.of(Scope.of("tool://x", "read")) : allow;
        c.deny = deny;
        c.limits = limits;
        TokenChain chain = TokenForge.chain(List.of(c.signed()));
        assertThat(chain.claimsAt(0).orThrow()).isEqualTo(c.token());
        assertThat(TokenChain.parse(chain.encoded()).orThrow().encoded()).isEqualTo(chain.encoded());
    }

    @Provide
    Arbitrary<List<Scope>> scopeLists() {
        return AttenuationProperties.scopes().list().ofMaxSize(4);
    }

    @Property(tries = 20)
    void chainsSurviveTheWire(@ForAll @IntRange(min = 1, max = 4) int links) {
        List<Claims> all = List.of(Fixture.rootToAlice(), Fixture.aliceToBob(), Fixture.bobToCarol(), Fixture.carolToDave());
        TokenChain chain = TokenForge.chain(all.subList(0, links).stream().map(Claims::signed).toList());
        TokenChain again = TokenChain.parse(chain.toJson()).orThrow();
        assertThat(again.encoded()).isEqualTo(chain.encoded());
        assertThat(again.hash()).isEqualTo(chain.hash());
        for (int i = 0; i < links; i++) {
            assertThat(again.claimsAt(i).orThrow()).isEqualTo(all.get(i).token());
        }
    }
}
