package dev.moat.monitor;

import dev.moat.token.ResourcePattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Intent drift: a cumulative risk score per agent session. Each call adds points for what it
 * newly widens in the session, never for repetition:
 * <ul>
 *   <li>{@code newResource} for each resource not touched before in the session;</li>
 *   <li>{@code kindWeights} the first time each kind is used (widening access: first network
 *       egress, first secret);</li>
 *   <li>{@code actionWeights} the first time each action is used (first {@code delete});</li>
 *   <li>{@code tagWeights} the first time each tag appears ({@code pii}, {@code admin});</li>
 *   <li>{@code resourceWeights} the first time a resource matching a pattern is touched
 *       (escalating resources: {@code tool://admin/**});</li>
 *   <li>{@code sensitivityRise} times each point a call's sensitivity rises above the highest
 *       seen so far in the session.</li>
 * </ul>
 * The score decays by half every {@code halfLife} (none if {@code null}). While the score is at or
 * above {@code threshold} every call of the agent fires the rule. A session ends when the agent is
 * evicted (idle TTL) or {@link RuntimeMonitor#endSession} is called.
 */
public record DriftRule(
        String id,
        double threshold,
        MonitorAction action,
        double newResource,
        Map<CallKind, Double> kindWeights,
        Map<String, Double> actionWeights,
        Map<String, Double> tagWeights,
        List<ResourceWeight> resourceWeights,
        double sensitivityRise,
        Duration halfLife) {

    /** Points added the first time a resource matching {@code pattern} is touched. */
    public record ResourceWeight(ResourcePattern pattern, double weight) {
        public ResourceWeight {
            Objects.requireNonNull(pattern, "pattern");
            requireWeight(weight);
        }
    }

    public DriftRule {
        RuleIds.id(id);
        if (!(threshold > 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite and > 0");
        }
        Objects.requireNonNull(action, "action");
        requireWeight(newResource);
        requireWeight(sensitivityRise);
        kindWeights = Map.copyOf(kindWeights);
        actionWeights = Map.copyOf(actionWeights);
        tagWeights = Map.copyOf(tagWeights);
        kindWeights.values().forEach(DriftRule::requireWeight);
        actionWeights.values().forEach(DriftRule::requireWeight);
        tagWeights.values().forEach(DriftRule::requireWeight);
        resourceWeights = List.copyOf(resourceWeights);
        if (halfLife != null) {
            RuleIds.window(halfLife);
        }
    }

    public static Builder builder(String id, double threshold, MonitorAction action) {
        return new Builder(id, threshold, action);
    }

    private static void requireWeight(double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("weights must be finite and >= 0");
        }
    }

    /** Builder; all weights default to 0 except {@code newResource} (1) and {@code sensitivityRise} (0.1). */
    public static final class Builder {
        private final String id;
        private final double threshold;
        private final MonitorAction action;
        private double newResource = 1;
        private final Map<CallKind, Double> kindWeights = new LinkedHashMap<>();
        private final Map<String, Double> actionWeights = new LinkedHashMap<>();
        private final Map<String, Double> tagWeights = new LinkedHashMap<>();
        private final List<ResourceWeight> resourceWeights = new ArrayList<>();
        private double sensitivityRise = 0.1;
        private Duration halfLife;

        private Builder(String id, double threshold, MonitorAction action) {
            this.id = id;
            this.threshold = threshold;
            this.action = action;
        }

        public Builder newResource(double w) {
            this.newResource = w;
            return this;
        }

        public Builder kind(CallKind kind, double w) {
            kindWeights.put(kind, w);
            return this;
        }

        public Builder action(String action, double w) {
            actionWeights.put(action, w);
            return this;
        }

        public Builder tag(String tag, double w) {
            tagWeights.put(tag, w);
            return this;
        }

        public Builder resource(String pattern, double w) {
            resourceWeights.add(new ResourceWeight(ResourcePattern.parse(pattern), w));
            return this;
        }

        public Builder sensitivityRise(double w) {
            this.sensitivityRise = w;
            return this;
        }

        public Builder halfLife(Duration d) {
            this.halfLife = d;
            return this;
        }

        public DriftRule build() {
            return new DriftRule(id, threshold, action, newResource, kindWeights, actionWeights, tagWeights,
                    resourceWeights, sensitivityRise, halfLife);
        }
    }
}
