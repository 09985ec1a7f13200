package dev.moat.replay;

import dev.moat.identity.AgentId;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replay acceptance with a sliding window (spec/PROTOCOL.md 10.4), in the spirit of the IPsec and
 * DTLS anti-replay window: per sender, the {@link #WINDOW} most recently accepted numbers and a
 * floor. A number above the highest accepted is accepted when the {@link SequenceStore} accepts it
 * (durably, 10.6); a number above the floor and not among the remembered ones is accepted once,
 * with no store access; a number at or below the floor is refused (too old). When a remembered
 * number has to make room, the floor rises to it. So one sender's messages may arrive out of
 * order (calls signed and checked in parallel) and each number is still accepted at most once.
 *
 * <p>Why not a bitmap over a range of numbers as in IPsec: sequence numbers here follow the clock
 * in microseconds (10.1), so they are sparse; a bitmap covering a useful reordering time would need
 * kilobytes per sender. Remembering the last {@link #WINDOW} accepted numbers tolerates the same
 * reordering depth whatever the gaps between them.
 *
 * <p>Restarts: a sender's window starts with its floor at the store's {@code last(sender)}, so
 * nothing the store ever accepted (or, after an unclean stop, reserved) is accepted again. Numbers
 * accepted below the highest need no durability: they are below a number the store already holds.
 * Thread-safe; one short lock per sender, never held while signing or verifying.
 */
public final class ReplayWindow {
    /** How many of a sender's most recent accepted numbers are remembered (its reordering depth). */
    public static final int WINDOW = 4096;

    private final SequenceStore store;
    private final ConcurrentHashMap<AgentId, State> senders = new ConcurrentHashMap<>();

    public ReplayWindow(SequenceStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Accepts {@code seq} from {@code sender} if it was never accepted and is not too old. */
    public boolean accept(AgentId sender, long seq) {
        if (seq < 0) {
            return false;
        }
        State s = senders.get(sender);
        if (s == null) {
            s = senders.computeIfAbsent(sender, id -> new State(store.last(id)));
        }
        synchronized (s) {
            if (seq > s.high) {
                if (!store.advance(sender, seq)) {
                    return false; // the store holds a higher number (another instance, or the restart rule)
                }
                s.high = seq;
                s.remember(seq);
                return true;
            }
            if (seq <= s.floor || s.contains(seq)) {
                return false;
            }
            s.remember(seq);
            return true;
        }
    }

    /** The highest number accepted from {@code sender}, -1 if none. */
    public long high(AgentId sender) {
        State s = senders.get(sender);
        if (s == null) {
            return store.last(sender);
        }
        synchronized (s) {
            return s.high;
        }
    }

    /** One sender's window: every accepted number is either in {@code recent} or at most {@code floor}. */
    private static final class State {
        long high;
        long floor;
        final java.util.TreeSet<Long> recent = new java.util.TreeSet<>();

        State(long last) {
            high = last;
            floor = last; // nothing at or below the stored value is new
        }

        boolean contains(long seq) {
            return recent.contains(seq);
        }

        void remember(long seq) {
            recent.add(seq);
            if (recent.size() > WINDOW) {
                floor = Math.max(floor, recent.pollFirst()); // the oldest remembered: everything up to it is now refused
            }
        }
    }
}
