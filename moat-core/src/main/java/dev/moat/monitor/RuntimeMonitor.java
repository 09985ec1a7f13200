package dev.moat.monitor;

import dev.moat.identity.AgentId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime monitor: feed it every call the PEP allowed, in order, with {@link #observe}; it
 * returns a {@link MonitorVerdict}. Deny the call when the verdict {@linkplain MonitorVerdict#blocks()
 * blocks}, and audit its alerts (the {@link MonitorListener} sees each non-pass verdict first).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Thread-safe. Calls of one agent are serialised on that agent's lock; sequence rules
 *       serialise on their own lock (always taken after an agent lock, never before).</li>
 *   <li>Time comes only from the injected {@link Clock}, at millisecond precision.</li>
 *   <li>Memory is bounded by {@link MonitorLimits}: agents silent for {@code agentTtl} are
 *       forgotten, at most {@code maxAgents} are tracked, and every window is capped.</li>
 *   <li>Fail closed: an exception inside the monitor, or from the listener, yields a
 *       {@link MonitorVerdict.Blocked} with a {@link RuleKind#INTERNAL} alert; it never passes.</li>
 *   <li>Blocked calls still count (rates, costs, drift, sequences): hammering keeps being blocked.
 *       A blocked call does not move the state machine.</li>
 * </ul>
 */
public final class RuntimeMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeMonitor.class);
    static final String INTERNAL_RULE = "monitor.internal";

    private final MonitorRules rules;
    private final Clock clock;
    private final MonitorListener listener;
    private final SequenceTracker[] sequences;
    private final ConcurrentHashMap<AgentId, AgentTracker> agents = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
    private final long ttlMillis;
    private final long sweepEveryMillis;

    private RuntimeMonitor(Builder b) {
        this.rules = b.rules;
        this.clock = b.clock;
        this.listener = b.listener;
        this.sequences = new SequenceTracker[rules.sequences().size()];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = new SequenceTracker(rules.sequences().get(i), rules.limits().maxPartialsPerRule());
        }
        this.ttlMillis = rules.limits().agentTtl().toMillis();
        this.sweepEveryMillis = Math.max(1, ttlMillis / 8);
    }

    public static Builder builder(MonitorRules rules) {
        return new Builder(rules);
    }

    /** Evaluates one call against every rule and returns the verdict; never throws for a non-null call. */
    public MonitorVerdict observe(ObservedCall call) {
        Objects.requireNonNull(call, "call");
        MonitorVerdict verdict;
        long now = 0;
        try {
            now = clock.millis();
            verdict = MonitorVerdict.of(evaluate(call, now));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.error("monitor failed on a call of {}: {}; blocking", call.agent().shortForm(), e.getClass().getName());
            verdict = internalBlock(call, now, null, "monitor failure: " + e.getClass().getSimpleName());
        }
        if (verdict instanceof MonitorVerdict.Pass) {
            return verdict;
        }
        log(verdict);
        try {
            listener.onVerdict(call, verdict);
        } catch (RuntimeException e) {
            LOG.error("monitor listener failed: {}; blocking the call", e.getClass().getName());
            verdict = internalBlock(call, now, verdict.alerts(), "alert listener failed: " + e.getClass().getSimpleName());
        }
        return verdict;
    }

    /** Ends an agent's session now: its state machine, windows and risk score are forgotten. */
    public void endSession(AgentId agent) {
        AgentTracker t = agents.get(agent);
        if (t != null) {
            synchronized (t) {
                t.evicted = true;
                agents.remove(agent, t);
            }
        }
    }

    /** How many agents are tracked now. */
    public int trackedAgents() {
        return agents.size();
    }

    /** The agent's current state-machine state, if it is tracked and a state machine is configured. */
    public Optional<String> stateOf(AgentId agent) {
        AgentTracker t = agents.get(agent);
        if (t == null) {
            return Optional.empty();
        }
        synchronized (t) {
            return Optional.ofNullable(t.state());
        }
    }

    /** The agent's current risk score, if it is tracked and drift is configured. */
    public OptionalDouble riskScore(AgentId agent) {
        AgentTracker t = agents.get(agent);
        if (t == null || rules.drift() == null) {
            return OptionalDouble.empty();
        }
        synchronized (t) {
            return OptionalDouble.of(t.riskScore());
        }
    }

    /** In-progress matches of every sequence rule, summed (for memory checks). */
    public int pendingSequenceMatches() {
        int n = 0;
        for (SequenceTracker s : sequences) {
            n += s.size();
        }
        return n;
    }

    public MonitorRules rules() {
        return rules;
    }

    private List<MonitorAlert> evaluate(ObservedCall call, long now) {
        sweepIfDue(now);
        long[] hits = new long[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            hits[i] = sequences[i].stepHits(call);
        }
        while (true) {
            AgentTracker t = agents.get(call.agent());
            boolean created = false;
            if (t == null) {
                AgentTracker fresh = new AgentTracker(call.agent(), rules, now);
                t = agents.putIfAbsent(call.agent(), fresh);
                if (t == null) {
                    t = fresh;
                    created = true;
                }
            }
            List<MonitorAlert> alerts;
            synchronized (t) {
                if (t.evicted) {
                    continue;
                }
                alerts = t.evaluate(call, now, sequences, hits);
            }
            if (created && agents.size() > rules.limits().maxAgents()) {
                evictLongestSilent(t);
            }
            return alerts == null ? List.of() : alerts;
        }
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + sweepEveryMillis)) {
            return;
        }
        for (AgentTracker t : agents.values()) {
            synchronized (t) {
                if (now - t.lastSeen >= ttlMillis) {
                    t.evicted = true;
                    agents.remove(t.agent, t);
                }
            }
        }
    }

    private void evictLongestSilent(AgentTracker keep) {
        while (agents.size() > rules.limits().maxAgents()) {
            AgentTracker oldest = null;
            for (AgentTracker t : agents.values()) {
                if (t != keep && (oldest == null || t.lastSeen < oldest.lastSeen)) {
                    oldest = t;
                }
            }
            if (oldest == null) {
                return;
            }
            synchronized (oldest) {
                oldest.evicted = true;
                agents.remove(oldest.agent, oldest);
            }
        }
    }

    private static MonitorVerdict internalBlock(ObservedCall call, long now, List<MonitorAlert> earlier, String detail) {
        List<MonitorAlert> alerts = new ArrayList<>();
        if (earlier != null) {
            alerts.addAll(earlier);
        }
        alerts.add(new MonitorAlert(INTERNAL_RULE, RuleKind.INTERNAL, MonitorAction.BLOCK, call.agent(),
                call.resource(), Instant.ofEpochMilli(now), detail));
        return new MonitorVerdict.Blocked(alerts);
    }

    private static void log(MonitorVerdict verdict) {
        for (MonitorAlert a : verdict.alerts()) {
            if (a.blocks()) {
                LOG.warn("monitor block {} {} agent={} resource={}: {}", a.kind().code(), a.ruleId(),
                        a.agent().shortForm(), a.resource(), a.detail());
            } else {
                LOG.info("monitor alert {} {} agent={} resource={}: {}", a.kind().code(), a.ruleId(),
                        a.agent().shortForm(), a.resource(), a.detail());
            }
        }
    }

    /** Builder: rules are required; the clock defaults to the system UTC clock. */
    public static final class Builder {
        private final MonitorRules rules;
        private Clock clock = Clock.systemUTC();
        private MonitorListener listener = MonitorListener.NONE;

        private Builder(MonitorRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder listener(MonitorListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        public RuntimeMonitor build() {
            return new RuntimeMonitor(this);
        }
    }
}
