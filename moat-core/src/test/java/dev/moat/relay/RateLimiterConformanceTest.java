package dev.moat.relay;

import java.time.Clock;
import java.time.Duration;

class RateLimiterConformanceTest extends SenderRateLimiterConformance {
    @Override
    protected SenderRateLimiter limiter(int limit, Duration window, Clock clock) {
        return new RateLimiter(limit, window, clock);
    }
}
