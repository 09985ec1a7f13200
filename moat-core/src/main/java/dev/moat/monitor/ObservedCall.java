package dev.moat.monitor;

import dev.moat.identity.AgentId;
import dev.moat.token.Resources;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One call as the monitor sees it: who, what kind, which resource, which action, and optional
 * cost, sensitivity and tags. The resource must be in normal form ({@link Resources#check}): rules
 * match it with {@link dev.moat.token.ResourcePattern}, the same matcher as capability scopes.
 *
 * <p>{@code time} is the caller's timestamp, kept for correlation in alerts; it may be
 * {@code null}. Windows are always measured on the monitor's own {@link java.time.Clock}, so a
 * caller cannot age its own history out of a window by back- or forward-dating calls.
 *
 * @param cost        a non-negative amount charged against cost budgets (0 when not metered)
 * @param sensitivity how sensitive the touched data is, 0 (public) to 100; feeds intent drift
 * @param tags        free labels (for example {@code pii}, {@code admin}) matched by rules
 */
public record ObservedCall(
        AgentId agent,
        CallKind kind,
        String resource,
        String action,
        Instant time,
        double cost,
        int sensitivity,
        Set<String> tags) {

    public static final int MAX_SENSITIVITY = 100;

    public ObservedCall {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(action, "action");
        if (!Resources.isValid(resource)) {
            // patterns match only names in normal form (spec/PROTOCOL.md section 5); the PEP never allows others
            throw new IllegalArgumentException("resource is not in normal form: " + Resources.check(resource));
        }
        if (!(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("cost must be finite and >= 0");
        }
        if (sensitivity < 0 || sensitivity > MAX_SENSITIVITY) {
            throw new IllegalArgumentException("sensitivity must be between 0 and " + MAX_SENSITIVITY);
        }
        tags = tags == null ? Set.of() : Set.copyOf(tags);
    }

    /** A call with no cost, sensitivity 0, no tags and no caller timestamp. */
    public static ObservedCall of(AgentId agent, CallKind kind, String resource, String action) {
        return new ObservedCall(agent, kind, resource, action, null, 0, 0, Set.of());
    }

    public static Builder builder(AgentId agent, CallKind kind, String resource, String action) {
        return new Builder(agent, kind, resource, action);
    }

    /** Builder for the optional fields. */
    public static final class Builder {
        private final AgentId agent;
        private final CallKind kind;
        private final String resource;
        private final String action;
        private Instant time;
        private double cost;
        private int sensitivity;
        private Set<String> tags = Set.of();

        private Builder(AgentId agent, CallKind kind, String resource, String action) {
            this.agent = agent;
            this.kind = kind;
            this.resource = resource;
            this.action = action;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder cost(double cost) {
            this.cost = cost;
            return this;
        }

        public Builder sensitivity(int sensitivity) {
            this.sensitivity = sensitivity;
            return this;
        }

        public Builder tags(String... tags) {
            this.tags = Set.of(tags);
            return this;
        }

        public ObservedCall build() {
            return new ObservedCall(agent, kind, resource, action, time, cost, sensitivity, tags);
        }
    }
}
