package dev.moat.monitor;

import dev.moat.identity.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * One rule firing on one call. {@code detail} is for humans and names rules, states, counts and
 * agents; it never carries secret values or call arguments.
 *
 * @param at the monitor clock's time of the call
 */
public record MonitorAlert(
        String ruleId,
        RuleKind kind,
        MonitorAction action,
        AgentId agent,
        String resource,
        Instant at,
        String detail) {

    public MonitorAlert {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }

    public boolean blocks() {
        return action == MonitorAction.BLOCK;
    }
}
