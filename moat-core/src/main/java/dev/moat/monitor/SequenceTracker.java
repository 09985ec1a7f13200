package dev.moat.monitor;

import dev.moat.identity.AgentId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * In-progress matches of one {@link SequenceRule}, shared by all agents. A match that advances
 * is forked (the original stays, so another agent may still continue it); equal matches are
 * merged keeping the latest start; a match expires {@code window} after its first step; at most
 * {@code maxPartials} are kept (oldest dropped). A completed match is not consumed: while its
 * first steps are inside the window every further completing call fires again, so a second
 * accomplice is stopped like the first.
 *
 * <p>Thread-safety: all state is guarded by this object's monitor. Lock order is agent, then
 * sequence; a sequence lock never waits for an agent lock.
 */
final class SequenceTracker {
    private record Partial(int next, long start, AgentId[] agents) {}

    private final SequenceRule rule;
    private final long windowMillis;
    private final int maxPartials;
    private final LinkedList<Partial> partials = new LinkedList<>();

    SequenceTracker(SequenceRule rule, int maxPartials) {
        this.rule = rule;
        this.windowMillis = rule.window().toMillis();
        this.maxPartials = maxPartials;
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
        Iterator<Partial> it = partials.iterator();
        while (it.hasNext()) {
            if (now - it.next().start() >= windowMillis) {
                it.remove();
            }
        }
        int last = rule.steps().size() - 1;
        AgentId[] completed = null;
        List<Partial> additions = null;
        for (Partial p : partials) {
            if ((hits & (1L << p.next())) == 0 || !correlates(p, agent)) {
                continue;
            }
            AgentId[] agents = Arrays.copyOf(p.agents(), p.agents().length + 1);
            agents[agents.length - 1] = agent;
            if (p.next() == last) {
                if (completed == null) {
                    completed = agents;
                }
            } else {
                if (additions == null) {
                    additions = new ArrayList<>(2);
                }
                additions.add(new Partial(p.next() + 1, p.start(), agents));
            }
        }
        if ((hits & 1L) != 0) {
            if (additions == null) {
                additions = new ArrayList<>(1);
            }
            additions.add(new Partial(1, now, new AgentId[] {agent}));
        }
        if (additions != null) {
            for (Partial a : additions) {
                merge(a);
            }
            while (partials.size() > maxPartials) {
                partials.removeFirst();
            }
        }
        return completed;
    }

    synchronized int size() {
        return partials.size();
    }

    private boolean correlates(Partial p, AgentId agent) {
        switch (rule.correlation()) {
            case SAME_AGENT:
                return p.agents()[0].equals(agent);
            case DISTINCT_AGENTS:
                for (AgentId a : p.agents()) {
                    if (a.equals(agent)) {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }

    private void merge(Partial a) {
        Iterator<Partial> it = partials.iterator();
        while (it.hasNext()) {
            Partial p = it.next();
            if (p.next() == a.next() && sameKey(p, a)) {
                if (p.start() >= a.start()) {
                    return;
                }
                it.remove();
                break;
            }
        }
        partials.addLast(a);
    }

    private boolean sameKey(Partial p, Partial a) {
        switch (rule.correlation()) {
            case SAME_AGENT:
                return p.agents()[0].equals(a.agents()[0]);
            case DISTINCT_AGENTS:
                if (p.agents().length != a.agents().length) {
                    return false;
                }
                for (AgentId x : a.agents()) {
                    if (!Arrays.asList(p.agents()).contains(x)) {
                        return false;
                    }
                }
                return true;
            default:
                return true;
        }
    }
}
