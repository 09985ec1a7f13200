package dev.moat.monitor;

import java.util.HashSet;
import java.util.Set;

/**
 * One agent session's risk score and what it has seen so far. Guarded by the owning agent's lock.
 * The resource memory is bounded; past the bound every unseen resource counts as new.
 */
final class DriftSession {
    private final DriftRule rule;
    private final int maxResources;
    private final Set<String> resources = new HashSet<>();
    private final Set<CallKind> kinds = new HashSet<>();
    private final Set<String> actions = new HashSet<>();
    private final Set<String> tags = new HashSet<>();
    private final boolean[] patternsTouched;
    private int maxSensitivity;
    private double score;
    private long lastMillis;
    private boolean started;

    DriftSession(DriftRule rule, int maxResources) {
        this.rule = rule;
        this.maxResources = maxResources;
        this.patternsTouched = new boolean[rule.resourceWeights().size()];
    }

    /** Adds the call's points and returns the new score. */
    double observe(ObservedCall call, long now) {
        decay(now);
        double add = 0;
        String resource = call.resource();
        if (!resources.contains(resource)) {
            add += rule.newResource();
            if (resources.size() < maxResources) {
                resources.add(resource);
            }
        }
        Double w = rule.kindWeights().get(call.kind());
        if (w != null && kinds.add(call.kind())) {
            add += w;
        }
        w = rule.actionWeights().get(call.action());
        if (w != null && actions.add(call.action())) {
            add += w;
        }
        if (!call.tags().isEmpty() && !rule.tagWeights().isEmpty()) {
            for (String tag : call.tags()) {
                w = rule.tagWeights().get(tag);
                if (w != null && tags.add(tag)) {
                    add += w;
                }
            }
        }
        for (int i = 0; i < patternsTouched.length; i++) {
            DriftRule.ResourceWeight rw = rule.resourceWeights().get(i);
            if (!patternsTouched[i] && rw.pattern().matches(resource)) {
                patternsTouched[i] = true;
                add += rw.weight();
            }
        }
        if (call.sensitivity() > maxSensitivity) {
            add += (call.sensitivity() - maxSensitivity) * rule.sensitivityRise();
            maxSensitivity = call.sensitivity();
        }
        score += add;
        return score;
    }

    private void decay(long now) {
        if (started && rule.halfLife() != null && score > 0 && now > lastMillis) {
            score *= Math.pow(0.5, (double) (now - lastMillis) / rule.halfLife().toMillis());
        }
        started = true;
        lastMillis = Math.max(lastMillis, now);
    }

    double score() {
        return score;
    }

    int rememberedResources() {
        return resources.size();
    }
}
