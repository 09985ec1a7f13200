package dev.moat.monitor;

import java.time.Duration;

/**
 * Memory bounds. Every structure the monitor keeps is capped by one of these numbers, so memory
 * is bounded whatever the callers do.
 *
 * @param agentTtl             an agent silent this long is forgotten (its session ends)
 * @param maxAgents            agents tracked at once; beyond it the longest-silent agent is evicted
 * @param maxKeysPerRule       per agent and per-action/per-resource rate rule, counters kept
 *                             (least recently used dropped)
 * @param maxEventsPerWindow   cost entries kept per window; older ones are merged, never dropped
 * @param maxPartialsPerRule   in-progress matches per sequence rule (oldest dropped)
 * @param maxSessionMemory     resources/actions/tags a drift session remembers; beyond it every
 *                             unseen one keeps counting as new (conservative)
 */
public record MonitorLimits(
        Duration agentTtl,
        int maxAgents,
        int maxKeysPerRule,
        int maxEventsPerWindow,
        int maxPartialsPerRule,
        int maxSessionMemory) {

    public static final MonitorLimits DEFAULTS =
            new MonitorLimits(Duration.ofMinutes(30), 10_000, 256, 1024, 1024, 1024);

    public MonitorLimits {
        RuleIds.window(agentTtl);
        requireRange(maxAgents, "maxAgents");
        requireRange(maxKeysPerRule, "maxKeysPerRule");
        requireRange(maxEventsPerWindow, "maxEventsPerWindow");
        requireRange(maxPartialsPerRule, "maxPartialsPerRule");
        requireRange(maxSessionMemory, "maxSessionMemory");
    }

    private static void requireRange(int v, String name) {
        if (v < 2 || v > 10_000_000) {
            throw new IllegalArgumentException(name + " must be between 2 and 10000000");
        }
    }

    public MonitorLimits withAgentTtl(Duration d) {
        return new MonitorLimits(d, maxAgents, maxKeysPerRule, maxEventsPerWindow, maxPartialsPerRule, maxSessionMemory);
    }

    public MonitorLimits withMaxAgents(int n) {
        return new MonitorLimits(agentTtl, n, maxKeysPerRule, maxEventsPerWindow, maxPartialsPerRule, maxSessionMemory);
    }

    public MonitorLimits withMaxKeysPerRule(int n) {
        return new MonitorLimits(agentTtl, maxAgents, n, maxEventsPerWindow, maxPartialsPerRule, maxSessionMemory);
    }

    public MonitorLimits withMaxEventsPerWindow(int n) {
        return new MonitorLimits(agentTtl, maxAgents, maxKeysPerRule, n, maxPartialsPerRule, maxSessionMemory);
    }

    public MonitorLimits withMaxPartialsPerRule(int n) {
        return new MonitorLimits(agentTtl, maxAgents, maxKeysPerRule, maxEventsPerWindow, n, maxSessionMemory);
    }

    public MonitorLimits withMaxSessionMemory(int n) {
        return new MonitorLimits(agentTtl, maxAgents, maxKeysPerRule, maxEventsPerWindow, maxPartialsPerRule, n);
    }
}
