package dev.moat.replay;

import dev.moat.identity.AgentId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sequence store that forgets everything on restart. For tests and benchmarks only: a restart
 * re-opens the replay window for messages still inside the router's time window.
 */
public final class InMemorySequenceStore implements SequenceStore {
    private final ConcurrentHashMap<AgentId, Long> last = new ConcurrentHashMap<>();

    @Override
    public boolean advance(AgentId sender, long seq) {
        boolean[] accepted = new boolean[1];
        last.compute(sender, (k, prev) -> {
            if (prev == null || seq > prev) {
                accepted[0] = true;
                return seq;
            }
            return prev;
        });
        return accepted[0];
    }

    /** {@inheritDoc} Lives in this process's memory (true). */
    @Override
    public boolean exclusiveToThisProcess() {
        return true;
    }

    @Override
    public long last(AgentId sender) {
        return last.getOrDefault(sender, -1L);
    }
}
