package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.monitor.MutableClock;
import dev.moat.pep.Decision;
import dev.moat.policy.MoatPolicy;
import dev.moat.token.TokenChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal of the policy's grants, driven by an injected clock (nothing sleeps): across many expiry
 * periods, with two threads calling while the clock moves under them, no call is ever denied, and
 * the delegation below the root is re-derived with it.
 */
@Timeout(120)
class RenewalTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            id: long-running
            agents:
              - name: admin
                key: keys/admin.key
              - name: assistant
                key: keys/assistant.key
              - name: helper
                key: keys/helper.key
            trusted_roots: [admin]
            grants:
              - issuer: admin
                subject: assistant
                allow:
                  - resource: "tool://inbox/**"
                    actions: [read]
                valid_for: 10m
                renew_before: 2m
              - issuer: assistant
                subject: helper
                allow:
                  - resource: "tool://inbox/shared/**"
                    actions: [read]
                valid_for: 10m
            router:
              rate_limit: 1000000
              rate_window: 1s
            """;

    @BeforeEach
    void keys() throws Exception {
        for (String n : List.of("admin", "assistant", "helper")) {
            KeyFiles.savePrivate(AgentKeypair.generate(n), dir.resolve("keys/" + n + ".key"));
        }
        Files.writeString(dir.resolve("moat.yaml"), POLICY);
    }

    @Test
    void renewsAcrossManyExpiryPeriodsWithCallsInFlightOnTwoThreads() throws Exception {
        MutableClock clock = new MutableClock(START);
        List<String> denials = new CopyOnWriteArrayList<>();
        Set<String> assistantTokens = ConcurrentHashMap.newKeySet();
        Set<String> helperTokens = ConcurrentHashMap.newKeySet();
        Set<String> helperRoots = ConcurrentHashMap.newKeySet();
        int callsPerThread = 500;
        Duration step = Duration.ofSeconds(15); // 2 threads x 500 x 15 s = 4 h 10 min: 25 lifetimes of 10 min
        try (Moat moat = PolicyRuntime.start(MoatPolicy.load(dir.resolve("moat.yaml")), clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> runs = new java.util.ArrayList<>();
                // Each thread moves the clock while the other's call is in flight, at most one call
                // ahead of the other: the clock moves less than the renewal margin during any one
                // call (the guarantee: no denial while a call takes less than renew_before).
                java.util.concurrent.atomic.AtomicIntegerArray done = new java.util.concurrent.atomic.AtomicIntegerArray(2);
                List<String> agents = List.of("assistant", "helper");
                for (int k = 0; k < 2; k++) {
                    String agent = agents.get(k);
                    int me = k;
                    runs.add(pool.submit(() -> {
                        long deadline = System.nanoTime() + 90_000_000_000L;
                        for (int i = 0; i < callsPerThread; i++) {
                            while (done.get(1 - me) < i - 1) {
                                if (System.nanoTime() > deadline) {
                                    throw new AssertionError("the other thread stalled");
                                }
                                Thread.yield();
                            }
                            clock.advance(step); // the clock moves while the other thread's call is in flight
                            Decision d = moat.guard().check(ToolCall.builder(agent, "tool://inbox/shared/" + i, "read").build());
                            if (d instanceof Decision.Allow allow) {
                                String id = allow.capability().leaf().id();
                                (agent.equals("assistant") ? assistantTokens : helperTokens).add(id);
                                if (agent.equals("helper")) {
                                    helperRoots.add(allow.capability().links().get(0).id());
                                }
                            } else {
                                Decision.Deny deny = (Decision.Deny) d;
                                denials.add(agent + " at " + clock.instant() + ": " + deny.stage().code() + "/" + deny.code().code());
                            }
                            done.incrementAndGet(me);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(denials).isEmpty();
            Duration elapsed = Duration.between(START, clock.instant());
            assertThat(elapsed).isEqualTo(step.multipliedBy(2L * callsPerThread));
            long periods = elapsed.toMinutes() / 10;
            // one renewal every 8 minutes (10 min lifetime, 2 min margin): every period saw new tokens
            assertThat(assistantTokens.size()).isGreaterThanOrEqualTo((int) periods);
            assertThat(helperTokens.size()).isGreaterThanOrEqualTo((int) periods);
            // the delegation was re-derived from the renewed root each time, not kept on an old root
            assertThat(helperRoots.size()).isEqualTo(helperTokens.size());
            TokenChain helper = moat.capabilities().current("helper").orElseThrow().chain();
            TokenChain assistant = moat.capabilities().current("assistant").orElseThrow().chain();
            assertThat(helper.claimsAt(0).orThrow().id()).isEqualTo(assistant.claimsAt(0).orThrow().id());
            assertThat(moat.capabilities().current("assistant").orElseThrow().expiresAt()).isAfter(clock.instant());
        }
        String log = Files.readString(dir.resolve(".moat/audit.jsonl"));
        assertThat(count(log, "\"kind\":\"renew\"")).isGreaterThanOrEqualTo(2 * 25);
    }

    @Test
    void withoutCallsTheTickerRenewsAndAHelperStaysUsable() throws Exception {
        MutableClock clock = new MutableClock(START);
        try (Moat moat = PolicyRuntime.start(MoatPolicy.load(dir.resolve("moat.yaml")), clock)) {
            Instant firstExpiry = moat.capabilities().current("assistant").orElseThrow().expiresAt();
            assertThat(moat.capabilities().nextRenewal()).isEqualTo(firstExpiry.minus(Duration.ofMinutes(2)));
            clock.advance(Duration.ofMinutes(7));
            moat.capabilities().tick();
            assertThat(moat.capabilities().current("assistant").orElseThrow().expiresAt()).isEqualTo(firstExpiry);
            clock.advance(Duration.ofMinutes(1)); // 8 min: due
            moat.capabilities().tick();
            Instant renewed = moat.capabilities().current("assistant").orElseThrow().expiresAt();
            assertThat(renewed).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(5)); // 13 min: the first tokens have expired
            assertThat(moat.guard().check(ToolCall.builder("helper", "tool://inbox/shared/a", "read").build()).allowed()).isTrue();
            // the helper's renewed delegation is still attenuated: outside its scope is denied
            Decision outside = moat.guard().check(ToolCall.builder("helper", "tool://inbox/private/a", "read").build());
            assertThat(((Decision.Deny) outside).code()).isEqualTo(ReasonCode.NOT_GRANTED);
        }
    }

    @Test
    void renewBeforeMustBeShorterThanTheLifetime() throws Exception {
        Files.writeString(dir.resolve("moat.yaml"), POLICY.replace("renew_before: 2m", "renew_before: 10m"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MoatPolicy.load(dir.resolve("moat.yaml")))
                .isInstanceOf(dev.moat.policy.PolicyException.class)
                .hasMessageContaining("grants[0]").hasMessageContaining("renew_before must be shorter than valid_for");
        Files.writeString(dir.resolve("moat.yaml"), POLICY.replace("renew_before: 2m", "renew_before: soon"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MoatPolicy.load(dir.resolve("moat.yaml")))
                .isInstanceOf(dev.moat.policy.PolicyException.class).hasMessageContaining("grants[0]");
    }

    @Test
    void theDefaultMarginIsATenthOfTheLifetimeAtLeastAMinuteAtMostHalf() {
        assertThat(GrantPlan.margin(Duration.ofHours(8), null)).isEqualTo(Duration.ofMinutes(48));
        assertThat(GrantPlan.margin(Duration.ofMinutes(5), null)).isEqualTo(Duration.ofMinutes(1));
        assertThat(GrantPlan.margin(Duration.ofSeconds(40), null)).isEqualTo(Duration.ofSeconds(20));
        assertThat(GrantPlan.margin(Duration.ofHours(1), Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
