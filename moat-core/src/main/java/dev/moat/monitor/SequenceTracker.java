package dev.moat.monitor;

import dev.moat.identity.AgentId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In-progress matches of one {@link SequenceRule}, shared by all agents, indexed by the step each
 * waits for and by its correlation key (the agent for {@link Correlation#SAME_AGENT}, the set of
 * agents so far for {@link Correlation#DISTINCT_AGENTS}, one key for {@link Correlation#ANY_AGENT}).
 * A call only looks at matches waiting for a step it hits. A match that advances is forked (the
 * original stays, so another agent may still continue it); equal keys keep the latest start; a
 * match expires {@code window} after its first step; at most {@code maxPartials} are kept (the
 * oldest dropped first). A completed match is not consumed: while its first step is inside the
 * window every further completing call fires again, so a second accomplice is stopped like the
 * first.
 *
 * <p>Thread-safety: all state is guarded by this object's monitor. Lock order is agent, then
 * sequence; a sequence lock never waits for an agent lock.
 */
final class SequenceTracker {
    private record Partial(int next, long start, AgentId[] agents, Object key) {}

    private static final Object ANY_KEY = new Object();

    private final SequenceRule rule;
    private final long windowMillis;
    private final int maxPartials;
    private final int last;
    /** waiting[i]: matches whose next step is i (index 0 unused), insertion-ordered. */
    private final List<LinkedHashMap<Object, Partial>> waiting;
    private int size;

    SequenceTracker(SequenceRule rule, int maxPartials) {
        this.rule = rule;
        this.windowMillis = rule.window().toMillis();
        this.maxPartials = maxPartials;
        this.last = rule.steps().size() - 1;
        this.waiting = new ArrayList<>(last + 1);
        for (int i = 0; i <= last; i++) {
            waiting.add(new LinkedHashMap<>());
        }
    }

    SequenceRule rule() {
        return rule;
    }

    /** Bit i set when the call matches step i; computed outside the lock. */
    long stepHits(ObservedCall call) {
        long hits = 0;
        List<StepMatcher> steps = rule.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).matches(call)) {
                hits |= 1L << i;
            }
        }
        return hits;
    }

    /**
     * Feeds one call (with its precomputed {@code hits}); returns the agents of a sequence this
     * call completes, or {@code null}.
     */
    synchronized AgentId[] observe(AgentId agent, long hits, long now) {
        AgentId[] completed = null;
        List<Partial> additions = null;
        for (int i = last; i >= 1; i--) {
            LinkedHashMap<Object, Partial> map = waiting.get(i);
            pruneHead(map, now);
            if ((hits & (1L << i)) == 0 || map.isEmpty()) {
                continue;
            }
            if (rule.correlation() == Correlation.SAME_AGENT) {
                Partial p = map.get(agent);
                if (p != null && !expired(p, now)) {
                    if (i == last) {
                        completed = append(p.agents(), agent);
                    } else {
                        additions = add(additions, advance(p, agent));
                    }
                }
                continue;
            }
            Iterator<Partial> it = map.values().iterator();
            while (it.hasNext()) {
                Partial p = it.next();
                if (expired(p, now)) {
                    it.remove();
                    size--;
                    continue;
                }
                if (!correlates(p, agent)) {
                    continue;
                }
                if (i == last) {
                    completed = append(p.agents(), agent);
                    break; // one completion is enough to fire
                }
                additions = add(additions, advance(p, agent));
            }
        }
        if ((hits & 1L) != 0) {
            AgentId[] first = {agent};
            additions = add(additions, new Partial(1, now, first, keyOf(first)));
        }
        if (additions != null) {
            for (Partial a : additions) {
                merge(a);
            }
            while (size > maxPartials) {
                evictOldest();
            }
        }
        return completed;
    }

    synchronized int size() {
        return size;
    }

    private boolean expired(Partial p, long now) {
        return now - p.start() >= windowMillis;
    }

    private void pruneHead(LinkedHashMap<Object, Partial> map, long now) {
        Iterator<Partial> it = map.values().iterator();
        while (it.hasNext()) {
            if (!expired(it.next(), now)) {
                return;
            }
            it.remove();
            size--;
        }
    }

    private boolean correlates(Partial p, AgentId agent) {
        if (rule.correlation() == Correlation.DISTINCT_AGENTS) {
            for (AgentId a : p.agents()) {
                if (a.equals(agent)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Partial advance(Partial p, AgentId agent) {
        AgentId[] agents = append(p.agents(), agent);
        return new Partial(p.next() + 1, p.start(), agents, keyOf(agents));
    }

    private Object keyOf(AgentId[] agents) {
        return switch (rule.correlation()) {
            case SAME_AGENT -> agents[0];
            case DISTINCT_AGENTS -> agents.length == 1 ? agents[0] : Set.of(agents);
            case ANY_AGENT -> ANY_KEY;
        };
    }

    private void merge(Partial a) {
        LinkedHashMap<Object, Partial> map = waiting.get(a.next());
        Partial existing = map.get(a.key());
        if (existing != null) {
            if (existing.start() >= a.start()) {
                return;
            }
            map.remove(a.key());
            size--;
        }
        map.put(a.key(), a);
        size++;
    }

    private void evictOldest() {
        LinkedHashMap<Object, Partial> victim = null;
        long oldest = Long.MAX_VALUE;
        for (int i = 1; i <= last; i++) {
            LinkedHashMap<Object, Partial> map = waiting.get(i);
            if (!map.isEmpty()) {
                long start = map.values().iterator().next().start();
                if (victim == null || start < oldest) {
                    victim = map;
                    oldest = start;
                }
            }
        }
        if (victim == null) {
            size = 0;
            return;
        }
        Iterator<Map.Entry<Object, Partial>> it = victim.entrySet().iterator();
        it.next();
        it.remove();
        size--;
    }

    private static AgentId[] append(AgentId[] agents, AgentId agent) {
        AgentId[] out = Arrays.copyOf(agents, agents.length + 1);
        out[agents.length] = agent;
        return out;
    }

    private static List<Partial> add(List<Partial> list, Partial p) {
        List<Partial> out = list == null ? new ArrayList<>(2) : list;
        out.add(p);
        return out;
    }
}
