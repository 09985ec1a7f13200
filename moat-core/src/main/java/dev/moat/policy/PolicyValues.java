package dev.moat.policy;

import dev.moat.audit.ArgumentsMode;
import dev.moat.audit.Durability;
import dev.moat.relay.RouterLimits;
import dev.moat.token.ResourceLimits;
import dev.moat.token.Scope;
import java.time.Duration;
import java.util.List;

/**
 * The typed values a policy file's sections stand for (scopes, limits, router limits, audit
 * durability); {@link IllegalArgumentException} for a bad value. Loading a policy checks them all,
 * so a loaded {@link MoatPolicy} converts without errors.
 */
public final class PolicyValues {
    private PolicyValues() {}

    /** The scopes of a grant's {@code allow} or {@code deny} list (empty for none). */
    public static List<Scope> scopes(List<PolicyDocument.ScopeSpec> specs) {
        if (specs == null) {
            return List.of();
        }
        return specs.stream().map(s -> Scope.of(s.resource(), s.actions() == null ? new String[0] : s.actions().toArray(new String[0]))).toList();
    }

    /** A grant's {@code limits}, or {@code null} for none. */
    public static ResourceLimits limits(PolicyDocument.Limits l) {
        if (l == null) {
            return null;
        }
        return ResourceLimits.builder()
                .maxFuel(l.fuel())
                .maxMemoryBytes(l.memoryBytes())
                .maxWallTime(l.wallTime() == null ? null : Durations.parse(l.wallTime()))
                .allowHosts(l.hosts())
                .readPaths(l.fsRead())
                .writePaths(l.fsWrite())
                .build();
    }

    /** The {@code router:} section over the defaults. */
    public static RouterLimits routerLimits(PolicyDocument.Router r) {
        RouterLimits d = RouterLimits.DEFAULT;
        if (r == null) {
            return d;
        }
        return new RouterLimits(
                r.maxBodyBytes() == null ? d.maxBodyBytes() : r.maxBodyBytes(),
                r.maxAge() == null ? d.maxAge() : Durations.parse(r.maxAge()),
                r.maxFutureSkew() == null ? d.maxFutureSkew() : Durations.parse(r.maxFutureSkew()),
                r.rateLimit() == null ? d.rateLimit() : r.rateLimit(),
                r.rateWindow() == null ? d.rateWindow() : Durations.parse(r.rateWindow()));
    }

    /** The {@code audit:} section's {@code arguments} mode ({@code full}, {@code hash} or {@code none}; default {@code hash}). */
    public static ArgumentsMode argumentsMode(PolicyDocument.Audit a) {
        return ArgumentsMode.parse(a == null ? null : a.arguments());
    }

    /** The {@code audit:} section's durability (default: batched, 64 entries or 50 ms). */
    public static Durability durability(PolicyDocument.Audit a) {
        if (a == null || a.durability() == null || a.durability().equals("batched")) {
            int n = a == null || a.batchEntries() == null ? 64 : a.batchEntries();
            Duration delay = a == null || a.batchDelay() == null ? Duration.ofMillis(50) : Durations.parse(a.batchDelay());
            return Durability.batched(n, delay);
        }
        if (a.durability().equals("every_entry")) {
            return Durability.everyEntry();
        }
        throw new IllegalArgumentException("audit.durability must be 'every_entry' or 'batched'");
    }

    /** A policy or grant {@code mode}: true for {@code audit-only}, false for {@code enforce} or none. */
    public static boolean auditOnly(String mode) {
        if (mode == null || PolicyDocument.ENFORCE.equals(mode)) {
            return false;
        }
        if (PolicyDocument.AUDIT_ONLY.equals(mode)) {
            return true;
        }
        throw new IllegalArgumentException("mode must be '" + PolicyDocument.ENFORCE + "' or '" + PolicyDocument.AUDIT_ONLY + "'");
    }
}
