package dev.moat.monitor;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distinct resources touched inside a sliding window, ordered by last touch. Keeps at most
 * {@code max + 1} entries: once that many are inside the window the rule fires anyway, and the
 * dropped oldest entry is older than all the kept ones. Guarded by the owning agent's lock.
 */
final class DistinctWindow {
    private final int max;
    private final LinkedHashMap<String, Long> lastTouch = new LinkedHashMap<>();

    DistinctWindow(int max) {
        this.max = max;
    }

    /** Records a touch of {@code resource} and tells whether more than {@code max} are now in the window. */
    boolean touchAndExceeds(String resource, long now, long windowMillis) {
        long horizon = now - windowMillis;
        Iterator<Map.Entry<String, Long>> it = lastTouch.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() <= horizon) {
                it.remove();
            } else {
                break;
            }
        }
        lastTouch.remove(resource);
        lastTouch.put(resource, now);
        if (lastTouch.size() > max + 1) {
            Iterator<String> oldest = lastTouch.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return lastTouch.size() > max;
    }

    int size() {
        return lastTouch.size();
    }
}
