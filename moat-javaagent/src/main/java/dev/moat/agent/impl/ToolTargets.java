package dev.moat.agent.impl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guarded methods, registered when their class is instrumented (before it can run), keyed by
 * {@code type.method(descriptor)}, the constant a woven method passes to the bridge.
 */
final class ToolTargets {
    /** A guarded method: its tool name, the names of its parameters (for the argument object), its class. */
    record Target(String key, String tool, List<String> parameters, String declaringClass, String resource, String action) {}

    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    void register(Target t) {
        targets.put(t.key(), t);
    }

    Target get(String key) {
        return targets.get(key);
    }

    int size() {
        return targets.size();
    }

    static String key(String type, String method, String descriptor) {
        return type + "." + method + descriptor;
    }
}
