package dev.moat.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.OffsetClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every {@link SenderRateLimiter} must do: an exact sliding window per verified sender. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SenderRateLimiterConformance {
    protected final OffsetClock clock = new OffsetClock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private final AgentId a = AgentKeypair.generate("a").id();
    private final AgentId b = AgentKeypair.generate("b").id();

    /** A limiter over fresh state; every call with the same arguments in one test shares its windows. */
    protected abstract SenderRateLimiter limiter(int limit, Duration window, Clock clock);

    @Test
    void admitsUpToTheLimitInAnySlidingWindow() {
        SenderRateLimiter r = limiter(2, Duration.ofSeconds(1), clock);
        assertThat(r.tryAcquire(a)).isTrue();
        clock.advance(Duration.ofMillis(600));
        assertThat(r.tryAcquire(a)).isTrue();
        assertThat(r.tryAcquire(a)).isFalse();
        clock.advance(Duration.ofMillis(399));
        assertThat(r.tryAcquire(a)).isFalse(); // the first admission is 999 ms old
        clock.advance(Duration.ofMillis(1));
        assertThat(r.tryAcquire(a)).isTrue(); // the first admission left the window
        assertThat(r.tryAcquire(a)).isFalse();
    }

    @Test
    void sendersAreLimitedIndependently() {
        SenderRateLimiter r = limiter(1, Duration.ofMinutes(1), clock);
        assertThat(r.tryAcquire(a)).isTrue();
        assertThat(r.tryAcquire(a)).isFalse();
        assertThat(r.tryAcquire(b)).isTrue();
    }

    @Test
    void concurrentCallersGetExactlyTheLimit() throws Exception {
        SenderRateLimiter r = limiter(50, Duration.ofMinutes(1), clock);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                fs.add(pool.submit(() -> {
                    int admitted = 0;
                    for (int i = 0; i < 20; i++) {
                        if (r.tryAcquire(a)) {
                            admitted++;
                        }
                    }
                    return admitted;
                }));
            }
            int total = 0;
            for (Future<Integer> f : fs) {
                total += f.get(45, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
