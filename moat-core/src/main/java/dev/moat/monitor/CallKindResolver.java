package dev.moat.monitor;

import dev.moat.token.ResourcePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a tool's resource to the monitor's {@link CallKind} (network, file, secret, ...), from the
 * policy's {@code monitor.kinds} globs in file order; unmatched resources are {@code EXECUTE}.
 */
public final class CallKindResolver {
    private record Entry(ResourcePattern glob, CallKind kind) {}

    private static final CallKindResolver EXECUTE_ONLY = new CallKindResolver(List.of());
    private final List<Entry> entries;

    private CallKindResolver(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static CallKindResolver executeOnly() {
        return EXECUTE_ONLY;
    }

    public static CallKindResolver of(Map<String, String> globToKind) {
        List<Entry> entries = new ArrayList<>();
        globToKind.forEach((glob, kind) -> entries.add(new Entry(ResourcePattern.parse(glob), CallKind.of(kind.toUpperCase(java.util.Locale.ROOT)))));
        return new CallKindResolver(entries);
    }

    /**
     * True when a {@code kinds} glob matches {@code resource} (a resource, or a grant's pattern
     * written literally); false means its calls count as {@code EXECUTE} by default.
     */
    public boolean classifies(String resource) {
        for (Entry e : entries) {
            if (e.glob.matches(resource)) {
                return true;
            }
        }
        return false;
    }

    public CallKind kindOf(String resource) {
        for (Entry e : entries) {
            if (e.glob.matches(resource)) {
                return e.kind;
            }
        }
        return CallKind.EXECUTE;
    }
}
