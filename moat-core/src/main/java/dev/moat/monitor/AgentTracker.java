package dev.moat.monitor;

import dev.moat.identity.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the monitor remembers about one agent. Every method runs under this object's lock
 * (taken by {@link RuntimeMonitor}); {@link #evicted} tells a thread that raced with eviction to
 * start again with a fresh tracker.
 */
final class AgentTracker {
    final AgentId agent;
    long lastSeen;
    boolean evicted;
    private final MonitorRules rules;
    private String state;
    private final SlidingCounter[] agentRates;
    private final List<LinkedHashMap<String, SlidingCounter>> keyedRates;
    private final DistinctWindow[] distinct;
    private final CostWindow[] costs;
    private final DriftSession drift;

    AgentTracker(AgentId agent, MonitorRules rules, long now) {
        this.agent = agent;
        this.rules = rules;
        this.lastSeen = now;
        this.state = rules.stateMachine() == null ? null : rules.stateMachine().initial();
        int n = rules.rates().size();
        this.agentRates = new SlidingCounter[n];
        this.keyedRates = new ArrayList<>(n);
        int maxKeys = rules.limits().maxKeysPerRule();
        for (int i = 0; i < n; i++) {
            RateRule r = rules.rates().get(i);
            if (r.scope() == RateScope.AGENT) {
                agentRates[i] = new SlidingCounter(r.max());
                keyedRates.add(null);
            } else {
                keyedRates.add(new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, SlidingCounter> e) {
                        return size() > maxKeys;
                    }
                });
            }
        }
        this.distinct = new DistinctWindow[rules.distinctResources().size()];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = new DistinctWindow(rules.distinctResources().get(i).max());
        }
        this.costs = new CostWindow[rules.costBudgets().size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = new CostWindow(rules.limits().maxEventsPerWindow());
        }
        this.drift = rules.drift() == null ? null : new DriftSession(rules.drift(), rules.limits().maxSessionMemory());
    }

    /**
     * Evaluates the agent-local rules and the sequence rules for one call; commits the state
     * machine's move unless something blocks the call. Returns the alerts, or {@code null} for none.
     */
    List<MonitorAlert> evaluate(ObservedCall call, long now, SequenceTracker[] sequences, long[] sequenceHits) {
        List<MonitorAlert> alerts = null;
        String target = null;
        StateMachine fsm = rules.stateMachine();
        if (fsm != null) {
            if (fsm.idleReset() != null && now - lastSeen >= fsm.idleReset().toMillis()) {
                state = fsm.initial();
            }
            target = fsm.stateFor(call.kind());
            if (target == null) {
                alerts = add(alerts, call, now, fsm.ruleId(), RuleKind.TRANSITION, fsm.action(),
                        "kind " + call.kind() + " enters no state (from " + state + ")");
            } else if (!fsm.allows(state, target)) {
                alerts = add(alerts, call, now, fsm.ruleId(), RuleKind.TRANSITION, fsm.action(),
                        "illegal transition " + state + " -> " + target);
            }
        }
        for (int i = 0; i < agentRates.length; i++) {
            RateRule r = rules.rates().get(i);
            if (!r.filter().matches(call)) {
                continue;
            }
            SlidingCounter c = agentRates[i];
            if (c == null) {
                String key = r.scope() == RateScope.ACTION ? call.action() : call.resource();
                LinkedHashMap<String, SlidingCounter> m = keyedRates.get(i);
                c = m.get(key);
                if (c == null) {
                    c = new SlidingCounter(r.max());
                    m.put(key, c);
                }
            }
            if (c.recordAndExceeds(now, r.window().toMillis())) {
                alerts = add(alerts, call, now, r.id(), RuleKind.RATE, r.action(),
                        "more than " + r.max() + " calls per " + r.window() + " (" + r.scope().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        for (int i = 0; i < distinct.length; i++) {
            DistinctResourceRule r = rules.distinctResources().get(i);
            if (distinct[i].touchAndExceeds(call.resource(), now, r.window().toMillis())) {
                alerts = add(alerts, call, now, r.id(), RuleKind.DISTINCT_RESOURCES, r.action(),
                        "more than " + r.max() + " distinct resources per " + r.window());
            }
        }
        for (int i = 0; i < costs.length; i++) {
            CostBudgetRule r = rules.costBudgets().get(i);
            if (costs[i].chargeAndExceeds(call.cost(), now, r.window().toMillis(), r.budget())) {
                alerts = add(alerts, call, now, r.id(), RuleKind.COST_BUDGET, r.action(),
                        "cost " + costs[i].total() + " over budget " + r.budget() + " per " + r.window());
            }
        }
        if (drift != null) {
            double score = drift.observe(call, now);
            DriftRule r = rules.drift();
            if (score >= r.threshold()) {
                alerts = add(alerts, call, now, r.id(), RuleKind.DRIFT, r.action(),
                        String.format(java.util.Locale.ROOT, "risk score %.2f >= threshold %.2f", score, r.threshold()));
            }
        }
        for (int i = 0; i < sequences.length; i++) {
            if (sequenceHits[i] == 0) {
                continue;
            }
            AgentId[] agents = sequences[i].observe(agent, sequenceHits[i], now);
            if (agents != null) {
                SequenceRule r = sequences[i].rule();
                alerts = add(alerts, call, now, r.id(), RuleKind.SEQUENCE, r.action(),
                        "sequence of " + r.steps().size() + " steps completed within " + r.window() + " by " + shortForms(agents));
            }
        }
        if (target != null && !blocks(alerts)) {
            state = target;
        }
        lastSeen = Math.max(lastSeen, now);
        return alerts;
    }

    String state() {
        return state;
    }

    double riskScore() {
        return drift == null ? 0 : drift.score();
    }

    private static boolean blocks(List<MonitorAlert> alerts) {
        if (alerts != null) {
            for (MonitorAlert a : alerts) {
                if (a.blocks()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<MonitorAlert> add(List<MonitorAlert> alerts, ObservedCall call, long now, String ruleId,
            RuleKind kind, MonitorAction action, String detail) {
        List<MonitorAlert> out = alerts == null ? new ArrayList<>(2) : alerts;
        out.add(new MonitorAlert(ruleId, kind, action, call.agent(), call.resource(), Instant.ofEpochMilli(now), detail));
        return out;
    }

    private static String shortForms(AgentId[] agents) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < agents.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(agents[i].shortForm());
        }
        return sb.append(']').toString();
    }
}
