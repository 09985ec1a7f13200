package dev.moat.monitor;

import java.util.ArrayDeque;

/**
 * Costs charged inside a sliding window. At most {@code maxEntries} entries: beyond that the two
 * oldest are merged into one stamped with the later time, so a cost is never forgotten early
 * (only, at worst, remembered a little longer). Guarded by the owning agent's lock.
 */
final class CostWindow {
    private static final class Entry {
        long time;
        double cost;

        Entry(long time, double cost) {
            this.time = time;
            this.cost = cost;
        }
    }

    private final int maxEntries;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private double sum;

    CostWindow(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** Charges {@code cost} at {@code now}; true when the window's total then exceeds {@code budget}. */
    boolean chargeAndExceeds(double cost, long now, long windowMillis, double budget) {
        long horizon = now - windowMillis;
        while (!entries.isEmpty() && entries.peekFirst().time <= horizon) {
            sum -= entries.pollFirst().cost;
        }
        if (entries.isEmpty()) {
            sum = 0; // no rounding drift survives an empty window
        }
        if (cost > 0) {
            entries.addLast(new Entry(now, cost));
            sum += cost;
            if (entries.size() > maxEntries) {
                Entry oldest = entries.pollFirst();
                entries.peekFirst().cost += oldest.cost;
            }
        }
        return sum > budget;
    }

    double total() {
        return Math.max(0, sum);
    }

    int size() {
        return entries.size();
    }
}
