package dev.moat.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.OffsetClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final OffsetClock clock = new OffsetClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final AgentId a = AgentKeypair.generate("a").id();
    private final AgentId b = AgentKeypair.generate("b").id();

    @Test
    void admitsUpToTheLimitInAnySlidingWindow() {
        RateLimiter r = new RateLimiter(2, Duration.ofSeconds(1), clock);
        assertThat(r.tryAcquire(a)).isTrue();
        clock.advance(Duration.ofMillis(600));
        assertThat(r.tryAcquire(a)).isTrue();
        assertThat(r.tryAcquire(a)).isFalse();
        clock.advance(Duration.ofMillis(399));
        assertThat(r.tryAcquire(a)).isFalse(); // first admission is 999 ms old
        clock.advance(Duration.ofMillis(1));
        assertThat(r.tryAcquire(a)).isTrue(); // first admission left the window
        assertThat(r.tryAcquire(a)).isFalse();
    }

    @Test
    void sendersAreLimitedIndependently() {
        RateLimiter r = new RateLimiter(1, Duration.ofMinutes(1), clock);
        assertThat(r.tryAcquire(a)).isTrue();
        assertThat(r.tryAcquire(a)).isFalse();
        assertThat(r.tryAcquire(b)).isTrue();
    }
}
