package dev.moat.bridge;

import dev.moat.audit.AuditEvent;
import dev.moat.check.Failure;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.pep.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each endpoint does, independent of HTTP: bind a session, decide a tool call through the
 * {@link Guard} (plus the tool's argument check), record its outcome, report health, show recent
 * decisions. Inputs arrive as schema-checked {@link RequestBody}s; refusals are {@link ApiError}s;
 * a denial is a normal answer ({@code allowed: false}), not an error. Thread-safe.
 */
final class BridgeApi {
    static final int MAX_AUDIT_VIEW = 256;

    private final Guard guard;
    private final Sessions sessions;
    private final PendingDecisions pending;
    private final ToolMapping mapping;
    private final dev.moat.tool.ToolRules rules;
    private final RecentDecisions recent = new RecentDecisions(MAX_AUDIT_VIEW);

    BridgeApi(Guard guard, BridgeConfig config, Clock clock, dev.moat.tool.ToolRules rules) {
        this.rules = rules;
        this.guard = guard;
        this.sessions = new Sessions(config.maxSessions());
        this.pending = new PendingDecisions(config.maxPending(), config.decisionTtl(), clock);
        this.mapping = new ToolMapping(config.pathArguments());
    }

    Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("agents", new ArrayList<>(new java.util.TreeSet<>(guard.agents())));
        m.put("sessions", (long) sessions.size());
        m.put("pending", (long) pending.size());
        m.put("policy_sha256", guard.pep().activePolicy().sha256Base64Url());
        return m;
    }

    Map<String, Object> bind(RequestBody body) {
        String agent = body.text("agent", 128);
        String label = body.optionalText("label", 256);
        if (!guard.agents().contains(agent)) {
            throw new ApiError(404, "unknown_agent", "this sidecar holds no identity and capability for that agent");
        }
        Sessions.Session s = sessions.bind(agent, label == null ? agent : label);
        return Map.of("session", s.id(), "agent", agent);
    }

    Map<String, Object> close(RequestBody body) {
        String id = body.text("session", 64);
        if (!sessions.close(id)) {
            throw new ApiError(404, "unknown_session", "no such session");
        }
        return Map.of("closed", true);
    }

    Map<String, Object> decide(RequestBody body) {
        Sessions.Session s = sessions.require(body.text("session", 64));
        String tool = body.text("tool", 128);
        if (!ToolMapping.isToolName(tool)) {
            throw ApiError.malformed("field 'tool' must match [A-Za-z0-9_.-]{1,128}");
        }
        Map<?, ?> arguments = body.object("arguments");
        String user = body.optionalText("user", 256);
        String conversation = body.optionalText("conversation", 256);
        // the exact text the client sent, in canonical form: numbers as written (never through doubles)
        byte[] canonical = body.canonicalObject("arguments");
        pending.ensureCapacity();
        // the tools: entry gives resource, action and argument rules (core's engine); a path-argument
        // mapping of the sidecar's own configuration still derives the resource from that argument
        dev.moat.tool.ToolPolicy policy = rules.policyFor(tool, null);
        String resource = mapping.maps(tool) ? mapping.resource(tool, arguments) : policy.resource();
        String action = policy.action();
        CallContext context = new CallContext(user, conversation, Map.of("bridge.label", s.label()));
        dev.moat.guard.CallCheck rulesCheck = policy.check(context, unsupported(policy));
        dev.moat.guard.CallCheck mappingCheck = mapping.argumentCheck(tool);
        ToolCall call = ToolCall.builder(s.agent(), resource, action)
                .arguments(canonical)
                .context(context)
                .check(allow -> {
                    Failure f = mappingCheck.check(allow);
                    return f != null ? f : rulesCheck.check(allow);
                })
                .build();
        Decision d = guard.decide(call); // PEP, monitor, then the tool's argument check (audited; audit-only mode applies)
        String id = Ids.random("d_");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("decision", id);
        out.put("allowed", d.allowed());
        out.put("resource", resource);
        out.put("action", action);
        out.put("arguments_sha256", Base64Url.encode(Sha256.hash(canonical)));
        if (d instanceof Decision.Allow allow) {
            pending.put(id, s.id(), allow);
            out.put("message_id", allow.message().id());
        } else {
            Decision.Deny deny = (Decision.Deny) d;
            out.put("stage", deny.stage().code());
            out.put("reason", deny.code().code());
            // what the client hands the model: no policy values unless the policy asks for detailed denials
            if (guard.denialText().detailed()) {
                out.put("detail", deny.failure().detail());
            }
            out.put("explain", guard.denialText().forModel(deny));
        }
        Map<String, Object> view = new TreeMap<>(out);
        if (d instanceof Decision.Deny deny) {
            view.put("detail", deny.failure().detail()); // the operator's view keeps the full detail
        }
        view.keySet().removeAll(Set.of("explain", "arguments_sha256"));
        view.put("event", "decision");
        view.put("agent", s.agent());
        recent.add(view);
        return out;
    }

    Map<String, Object> outcome(RequestBody body) {
        String session = body.text("session", 64);
        String decision = body.text("decision", 64);
        String status = body.text("status", 8);
        String result = body.optionalTextOrEmpty("result", Integer.MAX_VALUE);
        String errorType = body.optionalText("error_type", 200);
        long micros = body.number("micros", 0, 86_400_000_000L);
        AuditEvent.ToolOutcome.Status st = switch (status) {
            case "ok" -> AuditEvent.ToolOutcome.Status.OK;
            case "error" -> AuditEvent.ToolOutcome.Status.ERROR;
            default -> throw ApiError.malformed("field 'status' must be 'ok' or 'error'");
        };
        if (st == AuditEvent.ToolOutcome.Status.ERROR && errorType == null) {
            throw ApiError.malformed("field 'error_type' is required when status is 'error'");
        }
        Decision.Allow allow = pending.take(decision, sessions.require(session).id());
        guard.recordOutcome(allow, st, result == null ? new byte[0] : result.getBytes(StandardCharsets.UTF_8),
                st == AuditEvent.ToolOutcome.Status.ERROR ? errorType : null, micros);
        Map<String, Object> view = new TreeMap<>();
        view.put("event", "outcome");
        view.put("decision", decision);
        view.put("status", status);
        view.put("resource", allow.message().resource());
        view.put("message_id", allow.message().id());
        recent.add(view);
        return Map.of("recorded", true);
    }

    Map<String, Object> audit(int limit) {
        List<Map<String, Object>> last = recent.last(limit);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("audit_entries", guard.audit().size());
        m.put("head_sha256", Base64Url.encode(guard.audit().headHash()));
        m.put("recent", new ArrayList<>(last));
        return m;
    }

    /** The sidecar has no approver, sandbox or secret injection: a tool configured with one is refused, never run without it. */
    private static String unsupported(dev.moat.tool.ToolPolicy policy) {
        String what = policy.approvalRequired() ? "approval" : policy.sandbox().isPresent() ? "a sandbox module"
                : !policy.secrets().isEmpty() ? "secrets" : null;
        return what == null ? null : "tool '" + policy.tool() + "' is configured with " + what
                + ", which the CrewAI sidecar cannot provide; the call is refused";
    }
}
