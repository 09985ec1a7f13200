package dev.moat.relay;

import java.time.Duration;

/**
 * Router settings: body cap, how old and how far in the future a message timestamp may be, and
 * the per-sender rate limit (at most {@code rateLimit} messages in any {@code rateWindow}).
 */
public record RouterLimits(int maxBodyBytes, Duration maxAge, Duration maxFutureSkew, int rateLimit, Duration rateWindow) {
    /** 1 MiB bodies, 5 minutes old at most, 30 seconds in the future at most, 100 messages per second. */
    public static final RouterLimits DEFAULT = new RouterLimits(1024 * 1024, Duration.ofMinutes(5), Duration.ofSeconds(30), 100, Duration.ofSeconds(1));

    public RouterLimits {
        if (maxBodyBytes <= 0 || maxBodyBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be 1..64 MiB");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("maxAge must be positive and at most 1 day");
        }
        if (maxFutureSkew == null || maxFutureSkew.isNegative() || maxFutureSkew.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("maxFutureSkew must be 0..10 minutes");
        }
        if (rateLimit <= 0 || rateLimit > 1_000_000) {
            throw new IllegalArgumentException("rateLimit must be 1..1000000");
        }
        if (rateWindow == null || rateWindow.isNegative() || rateWindow.isZero()) {
            throw new IllegalArgumentException("rateWindow must be positive");
        }
    }

    public RouterLimits withRateLimit(int limit, Duration window) {
        return new RouterLimits(maxBodyBytes, maxAge, maxFutureSkew, limit, window);
    }
}
