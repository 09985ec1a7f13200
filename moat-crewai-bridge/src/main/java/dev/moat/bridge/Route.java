package dev.moat.bridge;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint: method, path, the request fields it accepts, and what answers it. The table in
 * {@link #all} is the API; spec/bridge-openapi.yaml describes the same paths (a test checks both
 * ways).
 */
record Route(String method, String path, int okStatus, Set<String> fields, Set<String> query, Handler handler) {

    /** Answers one request whose body has passed the schema check. */
    @FunctionalInterface
    interface Handler {
        Map<String, Object> handle(BridgeApi api, RequestBody body, Map<String, String> query);
    }

    static List<Route> all() {
        return List.of(
                new Route("GET", "/v1/health", 200, Set.of(), Set.of(), (api, b, q) -> api.health()),
                new Route("POST", "/v1/sessions", 201, Set.of("agent", "label"), Set.of(), (api, b, q) -> api.bind(b)),
                new Route("POST", "/v1/sessions/close", 200, Set.of("session"), Set.of(), (api, b, q) -> api.close(b)),
                new Route("POST", "/v1/decisions", 200, Set.of("session", "tool", "arguments", "user", "conversation"), Set.of(),
                        (api, b, q) -> api.decide(b)),
                new Route("POST", "/v1/outcomes", 200, Set.of("session", "decision", "status", "result", "error_type", "micros"), Set.of(),
                        (api, b, q) -> api.outcome(b)),
                new Route("GET", "/v1/audit", 200, Set.of(), Set.of("limit"), (api, b, q) -> api.audit(limit(q))),
                new Route("POST", "/v1/verify", 200, Set.of("kind", "input"), Set.of(), (api, b, q) -> Verify.run(b)));
    }

    private static int limit(Map<String, String> query) {
        String v = query.get("limit");
        if (v == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= BridgeApi.MAX_AUDIT_VIEW) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the refusal
        }
        throw ApiError.malformed("query 'limit' must be an integer from 1 to " + BridgeApi.MAX_AUDIT_VIEW);
    }
}
