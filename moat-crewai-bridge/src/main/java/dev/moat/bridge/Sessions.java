package dev.moat.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bound agents: a session id (unguessable) names the Moat agent a client acts as, with the label it
 * gave (for example the CrewAI role). Bounded: binding beyond {@code max} is refused. Thread-safe.
 */
final class Sessions {
    /** One bound agent. */
    record Session(String id, String agent, String label) {}

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final int max;

    Sessions(int max) {
        this.max = max;
    }

    synchronized Session bind(String agent, String label) {
        if (byId.size() >= max) {
            throw new ApiError(429, "too_many_sessions", "at most " + max + " sessions are bound at once");
        }
        Session s = new Session(Ids.random("s_"), agent, label);
        byId.put(s.id(), s);
        return s;
    }

    Session require(String id) {
        Session s = byId.get(id);
        if (s == null) {
            throw new ApiError(404, "unknown_session", "no such session (bind the agent first)");
        }
        return s;
    }

    boolean close(String id) {
        return byId.remove(id) != null;
    }

    int size() {
        return byId.size();
    }
}
