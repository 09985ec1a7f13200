package dev.moat.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.TestKeys;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentKeypair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The fast decision path (table-driven {@link Resources#isValid}, literal-head
 * {@link ResourcePattern#matches}, {@link CapabilityToken#evaluate}) agrees with the
 * straightforward reference: validate with the full code-point rules ({@link Resources#check}),
 * then split both names on {@code /} and match segment by segment. Resources and patterns are
 * built from one small pool of tricky segments ({@code ..}, {@code %2e}, unicode look-alikes,
 * format characters, lone surrogates, empty segments, trailing {@code /}, {@code *}, {@code **}) so
 * that they often share a prefix and the interesting branches are reached.
 */
class MatcherProperties {
    private static final AgentKeypair ROOT = TestKeys.agent("root");
    private static final AgentKeypair ALICE = TestKeys.agent("alice");

    private static final String[] SEGMENTS = {
        "a", "b", "analyze", "secrets", "x.y", "...", ".a", "a.", "", "", ".", "..", "%2e", "%2E%2e", "a%2fb", "*", "**", "a*",
        "é", "e\u0301", "\u00e9", "\u200b", "a\u200db", "a b", "a\u00a0b", "\\", "a\\b", "\t", "\u0000", "\u007f", "\u0085",
        "😀", "\uD83D", "\uDE00", "\uDB40\uDC01", "\uFE0F", "ﬀ", "A", "Z9", "\u2028", "\u3000", "\uD83F\uDFFF", "~-_.!$&'()+,;=:@"
    };

    @Provide
    Arbitrary<String> resources() {
        Arbitrary<String> scheme = Arbitraries.of("tool", "tool", "tool", "tool", "file", "mcp", "a1", "a+b.c-d", "Tool", "1x", "", "t\u00e9", "to ol");
        Arbitrary<String> sep = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just("://")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(":/", "//", ":", ":///", "://:/")));
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(SEGMENTS)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("a", "ab", "b", "*", "**"))); // shared prefixes: "a" vs "ab"
        Arbitrary<List<String>> path = segment.list().ofMinSize(0).ofMaxSize(5);
        Arbitrary<String> tail = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("/", "//", "/.", "/..")));
        return Combinators.combine(scheme, sep, path, tail).as((s, p, segs, t) -> s + p + String.join("/", segs) + t);
    }

    @Provide
    Arbitrary<ResourcePattern> patterns() {
        return resources().map(MatcherProperties::tryParse).filter(Optional::isPresent).map(Optional::get);
    }

    @Provide
    Arbitrary<List<ResourcePattern>> patternLists() {
        return patterns().list().ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> actionLists() {
        return Arbitraries.of("read", "write", "execute", "*").list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> actions() {
        return Arbitraries.of("read", "write", "execute", "*", "", "Read", "rea", "reads");
    }

    @Property(tries = 3000)
    void fastValidationAgreesWithTheFullRules(@ForAll("resources") String resource) {
        assertThat(Resources.isValid(resource)).as(resource).isEqualTo(Resources.check(resource) == null);
    }

    @Property(tries = 3000)
    void patternMatchAgreesWithSegmentBySegment(@ForAll("patterns") ResourcePattern pattern, @ForAll("resources") String resource) {
        if (Resources.check(resource) != null) {
            return; // matches() is defined on valid resources only; evaluate() below covers the rest
        }
        assertThat(pattern.matches(resource)).as(pattern + " vs " + resource).isEqualTo(referenceMatches(pattern.text(), resource));
    }

    /** A valid resource and a pattern spelled from it: segments kept, widened, cut short or lengthened by one character. */
    @Provide
    Arbitrary<String[]> nearMisses() {
        Arbitrary<List<String>> path = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(SEGMENTS)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("a", "ab", "b", "analyze"))).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<List<Integer>> ops = Arbitraries.integers().between(0, 5).list().ofSize(5);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 6);
        Arbitrary<String> end = Arbitraries.of("", "/**", "/*", "/a", "/");
        return Combinators.combine(Arbitraries.of("tool", "file", "mcp"), path, ops, cut, end).as((scheme, segs, op, k, e) -> {
            List<String> p = new ArrayList<>();
            for (int i = 0; i < Math.min(k, segs.size()); i++) {
                String seg = segs.get(i);
                switch (op.get(i)) {
                    case 0 -> p.add("*");
                    case 1 -> p.add(seg.isEmpty() ? seg : seg.substring(0, seg.length() - 1));
                    case 2 -> p.add(seg + "b");
                    default -> p.add(seg);
                }
            }
            String pattern = scheme + "://" + String.join("/", p) + e;
            return new String[] {pattern.replace(":///**", "://**").replace(":///*", "://*"), scheme + "://" + String.join("/", segs)};
        });
    }

    @Property(tries = 3000)
    void patternMatchAgreesOnNearMisses(@ForAll("nearMisses") String[] pair) {
        Optional<ResourcePattern> pattern = tryParse(pair[0]);
        if (pattern.isEmpty() || Resources.check(pair[1]) != null) {
            return;
        }
        assertThat(pattern.get().matches(pair[1])).as(pair[0] + " vs " + pair[1]).isEqualTo(referenceMatches(pair[0], pair[1]));
    }

    @Property(tries = 300)
    void aPatternMatchesTheResourcesItWasSpelledFrom(@ForAll("patterns") ResourcePattern pattern) {
        String literal = pattern.text().replace("/**", "/x/y").replace("**", "x").replace("*", "w");
        if (Resources.check(literal) == null) {
            assertThat(pattern.matches(literal)).as(pattern + " vs " + literal).isTrue();
            assertThat(referenceMatches(pattern.text(), literal)).isTrue();
        }
    }

    @Property(tries = 2000)
    void evaluateAgreesWithValidateThenMatch(
            @ForAll("patternLists") List<ResourcePattern> allow, @ForAll("actionLists") List<String> allowActions,
            @ForAll("patternLists") List<ResourcePattern> deny, @ForAll("actionLists") List<String> denyActions,
            @ForAll("resources") String resource, @ForAll("actions") String action) {
        List<Scope> allowed = scopes(allow, allowActions);
        List<Scope> denied = scopes(deny, denyActions);
        CapabilityToken token = new CapabilityToken("t", ROOT.id(), ROOT.publicKey(), ALICE.id(), null, 0, allowed, denied,
                ResourceLimits.UNLIMITED_COMPUTE_NO_IO, TestKeys.NOW, TestKeys.NOW.plusSeconds(60));
        ReasonCode expected = referenceEvaluate(allowed, denied, resource, action);
        assertThat(token.evaluate(resource, action)).as(resource + " " + action + " allow " + allowed + " deny " + denied).isEqualTo(expected);
        assertThat(token.evaluate(resource, action)).isEqualTo(expected); // stateless: the same answer twice
    }

    private static List<Scope> scopes(List<ResourcePattern> patterns, List<String> actions) {
        List<Scope> out = new ArrayList<>();
        for (ResourcePattern p : patterns) {
            out.add(new Scope(p, actions));
        }
        return out;
    }

    private static Optional<ResourcePattern> tryParse(String text) {
        try {
            return Optional.of(ResourcePattern.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The reference decision: full validation, then denials, then grants, each matched by splitting. */
    private static ReasonCode referenceEvaluate(List<Scope> allowed, List<Scope> denied, String resource, String action) {
        if (resource == null || action == null || action.isEmpty() || action.equals("*") || Resources.check(resource) != null) {
            return ReasonCode.INVALID_RESOURCE;
        }
        for (Scope s : denied) {
            if ((s.actions().contains(action) || s.actions().contains("*")) && referenceMatches(s.resource().text(), resource)) {
                return ReasonCode.EXPLICITLY_DENIED;
            }
        }
        for (Scope s : allowed) {
            if ((s.actions().contains(action) || s.actions().contains("*")) && referenceMatches(s.resource().text(), resource)) {
                return null;
            }
        }
        return ReasonCode.NOT_GRANTED;
    }

    /** Straightforward matcher: same scheme, then {@code **} takes any tail, {@code *} one non-empty segment. */
    private static boolean referenceMatches(String pattern, String resource) {
        int ps = pattern.indexOf("://");
        int rs = resource.indexOf("://");
        if (!pattern.substring(0, ps).equals(resource.substring(0, rs))) {
            return false;
        }
        String[] p = pattern.substring(ps + 3).split("/", -1);
        String[] r = resource.substring(rs + 3).split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("**")) {
                return true;
            }
            if (i >= r.length) {
                return false;
            }
            if (p[i].equals("*") ? r[i].isEmpty() : !p[i].equals(r[i])) {
                return false;
            }
        }
        return p.length == r.length;
    }
}
