package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.ReasonCode;
import dev.moat.spec.Fixture;
import dev.moat.token.TokenForge.Claims;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/** A child that passes the attenuation rules never allows what its parent denies or lacks. */
class AttenuationProperties {
    static final List<String> SEGMENTS = List.of("a", "b", "c", "*");

    @Provide
    static Arbitrary<String> patterns() {
        Arbitrary<String> scheme = Arbitraries.of("tool://", "file:///");
        Arbitrary<List<String>> segs = Arbitraries.of(SEGMENTS).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Boolean> tail = Arbitraries.of(true, false);
        return Combinators.combine(scheme, segs, tail).as((s, l, t) -> s + String.join("/", l) + (t ? "/**" : ""))
                .injectDuplicates(0.1)
                .edgeCases(c -> c.add("tool://**"));
    }

    @Provide
    static Arbitrary<String> resources() {
        Arbitrary<String> scheme = Arbitraries.of("tool://", "file:///");
        return Combinators.combine(scheme, Arbitraries.of("a", "b", "c", "d").list().ofMinSize(1).ofMaxSize(4))
                .as((s, l) -> s + String.join("/", l));
    }

    @Provide
    static Arbitrary<Scope> scopes() {
        Arbitrary<List<String>> actions = Arbitraries.of("read", "write", "*").set().ofMinSize(1).ofMaxSize(2).map(ArrayList::new);
        return Combinators.combine(patterns(), actions).as((p, a) -> new Scope(ResourcePattern.parse(p), a));
    }

    @Provide
    static Arbitrary<List<Scope>> fewScopes() {
        return scopes().list().ofMaxSize(2);
    }

    @Provide
    static Arbitrary<List<Scope>> someScopes() {
        return scopes().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    static Arbitrary<List<String>> requests() {
        return resources().list().ofMinSize(1).ofMaxSize(8);
    }

    /** A resource that {@code pattern} matches: each '*' and '**' filled from {@code picks}. */
    static String instantiate(String pattern, List<Integer> picks) {
        int sep = pattern.indexOf("://") + 3;
        StringBuilder sb = new StringBuilder(pattern.substring(0, sep));
        String[] segs = pattern.substring(sep).split("/", -1);
        int k = 0;
        for (int i = 0; i < segs.length; i++) {
            String seg = segs[i];
            int pick = picks.isEmpty() ? 0 : picks.get(k++ % picks.size());
            String piece = switch (seg) {
                case "*" -> "abcd".substring(pick % 4, pick % 4 + 1);
                case "**" -> List.of("", "a", "b/c", "d/a/b").get(pick % 4);
                default -> seg;
            };
            if (seg.equals("**") && piece.isEmpty()) {
                sb.setLength(sb.length() - (i > 0 ? 1 : 0));
                if (i == 0) {
                    sb.append("a");
                }
                continue;
            }
            sb.append(piece);
            if (i < segs.length - 1) {
                sb.append('/');
            }
        }
        return sb.toString();
    }

    @Property(tries = 1000)
    void coversIsSound(@ForAll("patterns") String broader, @ForAll("patterns") String narrower,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 100) Integer> picks) {
        ResourcePattern p = ResourcePattern.parse(broader);
        ResourcePattern q = ResourcePattern.parse(narrower);
        String resource = instantiate(narrower, picks);
        assertThat(q.matches(resource)).as(resource).isTrue();
        Statistics.label("covers").collect(p.covers(q));
        Statistics.label("covers").coverage(cov -> cov.check(true).percentage(pct -> pct >= 5));
        if (p.covers(q)) {
            assertThat(p.matches(resource)).as("%s covers %s but not %s", broader, narrower, resource).isTrue();
        }
    }

    @Property(tries = 500)
    void attenuatedChildAllowsNothingItsParentDoesNot(
            @ForAll("someScopes") List<Scope> parentAllow,
            @ForAll("fewScopes") List<Scope> parentDeny,
            @ForAll("fewScopes") List<Scope> childExtra,
            @ForAll("fewScopes") List<Scope> childDeny,
            @ForAll boolean copyParentScopes,
            @ForAll boolean keepDenials,
            @ForAll("requests") List<String> requests) {
        Claims parent = Claims.root("p", Fixture.ROOT, Fixture.ALICE.id(), TestKeys.NOW, TestKeys.NOW.plusSeconds(60));
        parent.allow = new ArrayList<>(parentAllow);
        parent.deny = new ArrayList<>(parentDeny);
        Claims child = parent.child("c", Fixture.ALICE, Fixture.BOB.id());
        child.allow = new ArrayList<>(copyParentScopes ? parentAllow.subList(0, 1) : List.of());
        child.allow.addAll(childExtra);
        if (child.allow.isEmpty()) {
            child.allow.add(parentAllow.get(0));
        }
        child.deny = new ArrayList<>(keepDenials ? parentDeny : List.of());
        child.deny.addAll(childDeny);
        CapabilityToken p = parent.token();
        CapabilityToken c = child.token();
        String rule = Attenuation.violation(p, c);
        Statistics.label("attenuated").collect(rule == null);
        Statistics.label("attenuated").coverage(cov -> cov.check(true).percentage(pct -> pct >= 10));
        if (rule != null) {
            return;
        }
        for (String r : requests) {
            for (String action : List.of("read", "write", "exec")) {
                ReasonCode parentSays = p.evaluate(r, action);
                if (c.evaluate(r, action) == null) {
                    assertThat(parentSays).as("%s %s", action, r).isNull();
                }
                if (parentSays == ReasonCode.EXPLICITLY_DENIED) {
                    assertThat(c.evaluate(r, action)).isEqualTo(ReasonCode.EXPLICITLY_DENIED);
                }
            }
        }
    }
}
