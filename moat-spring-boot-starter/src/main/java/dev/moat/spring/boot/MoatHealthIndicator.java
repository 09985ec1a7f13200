package dev.moat.spring.boot;

import dev.moat.Capability;
import dev.moat.Moat;
import dev.moat.policy.PolicyBinding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Actuator health of Moat ({@code /actuator/health/moat}): DOWN when the audit log cannot be
 * written (every call would then be denied), when the PEP's active policy is not the one the app
 * started with, or when an agent's capability has expired; UP otherwise. Details: the policy id and
 * hash, the audit log's size, and the nearest capability expiry with the seconds left (renewal is
 * automatic; a small number that keeps shrinking means renewal is failing).
 */
public final class MoatHealthIndicator extends AbstractHealthIndicator {
    private final Moat moat;
    private final PolicyBinding expected;
    private final Clock clock;

    public MoatHealthIndicator(Moat moat, PolicyBinding expected, Clock clock) {
        super("Moat health check failed");
        this.moat = moat;
        this.expected = expected;
        this.clock = clock;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        try {
            moat.audit().flush();
            builder.withDetail("audit", "writable").withDetail("auditEntries", moat.audit().size());
        } catch (RuntimeException e) {
            up = false;
            builder.withDetail("audit", "not writable (" + e.getClass().getSimpleName() + ")");
        }
        PolicyBinding active = moat.pep().activePolicy();
        builder.withDetail("policyId", active.policyId()).withDetail("policySha256", active.sha256Base64Url());
        if (expected != null && !expected.matches(active)) {
            up = false;
            builder.withDetail("policy", "active policy is not the one the application started with");
        } else {
            builder.withDetail("policy", "bound");
        }
        Optional<Capability> nearest = moat.guard().agents().stream()
                .map(a -> moat.capabilities().current(a)).flatMap(Optional::stream)
                .min(java.util.Comparator.comparing(Capability::expiresAt));
        if (nearest.isPresent()) {
            Instant at = nearest.get().expiresAt();
            long left = Duration.between(clock.instant(), at).toSeconds();
            builder.withDetail("nearestCapabilityExpiry", at.toString())
                    .withDetail("nearestCapabilityAgent", nearest.get().agent())
                    .withDetail("secondsUntilNearestExpiry", Math.max(0, left));
            if (left <= 0) {
                up = false;
            }
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
