package dev.moat.pep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A rate-limit denial says which limit was hit, whether it is the default, and where to raise it. */
@Timeout(30)
class RateLimitDenialTest {
    private static Decision nthPlusOne(RouterLimits limits) {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair worker = AgentKeypair.generate("worker");
        TokenChain chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://batch", "execute").validFor(Duration.ofMinutes(30)).build());
        Clock clock = Clock.fixed(java.time.Instant.now().plusSeconds(1), java.time.ZoneOffset.UTC); // one window for every call
        try (Moat moat = Moat.builder().clock(clock).agent(root).agent(worker).trustRoot("root").capability("worker", chain)
                .routerLimits(limits).sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("moat-audit")).clock(clock).open()).build()) {
            Decision d = null;
            for (int i = 0; i < limits.rateLimit() + 1; i++) {
                d = moat.guard().check(ToolCall.builder("worker", "tool://batch", "execute").arguments("{}").build());
            }
            return d;
        }
    }

    @Test
    void theDenialNamesTheLimitAndHowToRaiseIt() {
        Decision d = nthPlusOne(RouterLimits.DEFAULT.withRateLimit(2, Duration.ofSeconds(1)));
        assertThat(d).isInstanceOfSatisfying(Decision.Deny.class, deny -> {
            assertThat(deny.code()).isEqualTo(ReasonCode.RATE_LIMITED);
            assertThat(deny.failure().detail()).contains("per-agent rate limit of 2 messages per 1000 ms")
                    .contains("router.rate_limit").doesNotContain("(the default)");
        });
    }

    @Test
    void theDefaultLimitIsNamedAsTheDefault() {
        Decision d = nthPlusOne(RouterLimits.DEFAULT);
        assertThat(((Decision.Deny) d).failure().detail()).contains("100 messages per 1000 ms (the default)");
    }
}
