package dev.moat.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read-only audit view's source: the last {@code capacity} decisions and outcomes this sidecar
 * handled, as small maps (ids, resource, result, reason; never arguments or results). The
 * authoritative record is the hash-chained audit log; this is a bounded window onto it.
 */
final class RecentDecisions {
    private final ArrayDeque<Map<String, Object>> entries = new ArrayDeque<>();
    private final int capacity;

    RecentDecisions(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Map<String, Object> entry) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(Map.copyOf(entry));
    }

    /** The newest {@code limit} entries, oldest first. */
    synchronized List<Map<String, Object>> last(int limit) {
        List<Map<String, Object>> all = new ArrayList<>(entries);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
