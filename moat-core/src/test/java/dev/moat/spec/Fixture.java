package dev.moat.spec;

import dev.moat.TestKeys;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenForge.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The fixed world of the vectors: deterministic agents, a fixed "now", and a four-link chain
 * root -> alice -> bob -> carol -> dave whose links each narrow the one before.
 */
public final class Fixture {
    public static final Instant NOW = TestKeys.NOW;
    public static final AgentKeypair ROOT = TestKeys.agent("root");
    public static final AgentKeypair OTHER_ROOT = TestKeys.agent("other-root");
    public static final AgentKeypair ALICE = TestKeys.agent("alice");
    public static final AgentKeypair BOB = TestKeys.agent("bob");
    public static final AgentKeypair CAROL = TestKeys.agent("carol");
    public static final AgentKeypair DAVE = TestKeys.agent("dave");
    public static final AgentKeypair MALLORY = TestKeys.agent("mallory");
    public static final List<AgentKeypair> AGENTS = List.of(ROOT, OTHER_ROOT, ALICE, BOB, CAROL, DAVE, MALLORY);

    private Fixture() {}

    public static Instant minutes(long m) {
        return NOW.plus(Duration.ofMinutes(m));
    }

    public static ResourceLimits rootLimits() {
        return ResourceLimits.builder().maxFuel(1_000_000L).maxMemoryBytes(64L << 20).maxWallTime(Duration.ofSeconds(30))
                .allowHosts(List.of("api.example.com", "*.example.org"))
                .readPaths(List.of("/data")).writePaths(List.of("/data/out")).build();
    }

    /** root -> alice: the broad grant every other link narrows. */
    public static Claims rootToAlice() {
        return Claims.root("root-to-alice", ROOT, ALICE.id(), minutes(-60), minutes(24 * 60))
                .allow("tool://*/read", "read")
                .allow("tool://search", "execute")
                .allow("file:///data/**", "read", "write")
                .allow("tool://pay/**", "*")
                .deny("tool://pay/admin", "*")
                .deny("file:///data/secret/**", "read", "write")
                .withLimits(rootLimits());
    }

    /** alice -> bob: narrower scopes, one more denial, tighter limits. */
    public static Claims aliceToBob() {
        Claims c = rootToAlice().child("alice-to-bob", ALICE, BOB.id());
        c.allow = new java.util.ArrayList<>();
        c.allow("tool://mail/read", "read").allow("tool://calendar/read", "read")
                .allow("file:///data/reports/**", "read").allow("tool://pay/**", "execute")
                .deny("file:///data/reports/private/**", "read");
        c.limits = ResourceLimits.builder().maxFuel(500_000L).maxMemoryBytes(32L << 20).maxWallTime(Duration.ofSeconds(10))
                .allowHosts(List.of("api.example.com")).readPaths(List.of("/data/reports")).writePaths(List.of("/data/out/bob")).build();
        c.iat = minutes(-30);
        c.exp = minutes(12 * 60);
        return c;
    }

    public static Claims bobToCarol() {
        Claims c = aliceToBob().child("bob-to-carol", BOB, CAROL.id());
        c.allow = new java.util.ArrayList<>();
        c.allow("tool://mail/read", "read").allow("tool://pay/**", "execute");
        c.limits = ResourceLimits.builder().maxFuel(250_000L).maxMemoryBytes(16L << 20).maxWallTime(Duration.ofSeconds(5)).build();
        c.iat = minutes(-20);
        c.exp = minutes(6 * 60);
        return c;
    }

    public static Claims carolToDave() {
        Claims c = bobToCarol().child("carol-to-dave", CAROL, DAVE.id());
        c.allow = new java.util.ArrayList<>();
        c.allow("tool://mail/read", "read");
        c.limits = ResourceLimits.builder().maxFuel(100_000L).maxMemoryBytes(8L << 20).maxWallTime(Duration.ofSeconds(2)).build();
        c.iat = minutes(-10);
        c.exp = minutes(3 * 60);
        return c;
    }
}
