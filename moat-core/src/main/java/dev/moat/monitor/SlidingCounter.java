package dev.moat.monitor;

/**
 * A sliding-window log of the last {@code max} event times: enough to tell whether a new event
 * would be number {@code max + 1} inside the window, and no more. Not thread-safe: guarded by the
 * owning agent's lock.
 */
final class SlidingCounter {
    private final long[] ring;
    private int head;
    private int size;

    SlidingCounter(int max) {
        this.ring = new long[max];
    }

    /**
     * Records an event at {@code now} and tells whether the window {@code (now - window, now]}
     * already held {@code max} events before it. Every event is recorded, fired or not, so a
     * caller hammering a blocked rule stays blocked until it is quiet for a whole window.
     */
    boolean recordAndExceeds(long now, long windowMillis) {
        long horizon = now - windowMillis;
        while (size > 0 && ring[head] <= horizon) {
            head = (head + 1) % ring.length;
            size--;
        }
        boolean exceeded = size == ring.length;
        if (exceeded) {
            ring[head] = now;
            head = (head + 1) % ring.length;
        } else {
            ring[(head + size) % ring.length] = now;
            size++;
        }
        return exceeded;
    }

    /** True when every recorded event is outside the window: the counter can be dropped. */
    boolean isEmptyAt(long now, long windowMillis) {
        if (size == 0) {
            return true;
        }
        int last = (head + size - 1) % ring.length;
        return ring[last] <= now - windowMillis;
    }

    int size() {
        return size;
    }
}
