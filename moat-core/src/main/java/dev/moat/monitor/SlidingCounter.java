package dev.moat.monitor;

/**
 * A sliding-window log of the last event times, at most {@code max} of them: enough to tell
 * whether a new event would be number {@code max + 1} inside the window, and no more. The ring
 * starts small and doubles as events arrive, so memory follows the real traffic (at most
 * {@code 8 * max} bytes). Not thread-safe: guarded by the owning agent's lock.
 */
final class SlidingCounter {
    private static final int INITIAL = 8;
    private final int max;
    private long[] ring;
    private int head;
    private int size;

    SlidingCounter(int max) {
        this.max = max;
        this.ring = new long[Math.min(max, INITIAL)];
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
        boolean exceeded = size == max;
        if (exceeded) {
            ring[head] = now;
            head = (head + 1) % ring.length;
            return true;
        }
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = now;
        size++;
        return false;
    }

    private void grow() {
        long[] bigger = new long[(int) Math.min(max, 2L * ring.length)];
        for (int k = 0; k < size; k++) {
            bigger[k] = ring[(head + k) % ring.length];
        }
        ring = bigger;
        head = 0;
    }

    int size() {
        return size;
    }
}
