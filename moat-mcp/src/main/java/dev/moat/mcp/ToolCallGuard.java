package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.audit.AuditEvent;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.json.CanonicalJson;
import dev.moat.json.JsonLimits;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The {@code tools/call} path: the arguments are made canonical, the tool's pinned definition is
 * checked, and the call goes through the one {@link Guard} as the proxy's agent, with the tool's
 * rules from the policy file's {@code tools:} section (entry {@code mcp/<server>/<tool>}; by default
 * resource {@code tool://mcp/<server>/<tool>}, action {@code execute}, no argument rules), checked by
 * core's engine on the signed bytes (a per-conversation budget counts per proxy session). The proxy has no approver, sandbox or secret injection: a tool
 * whose entry asks for one is refused, never forwarded without it. An allowed call is re-written from
 * the signed bytes (so what the server receives is exactly what was signed and audited); a refused
 * one becomes a tool result with {@code isError: true} that names stage and reason code.
 */
final class ToolCallGuard {
    static final String ACTION = "execute";

    /** What to do with a client's {@code tools/call}. */
    sealed interface Verdict {
        /** Send {@code frame} to the server; audit the outcome against {@code allow}. */
        record Forward(byte[] frame, String tool, Decision.Allow allow) implements Verdict {}

        /** Answer the client with {@code frame}; nothing reaches the server. */
        record Answer(byte[] frame) implements Verdict {}
    }

    private final Guard guard;
    private final String agent;
    private final String agentId;
    private final String server;
    private final ToolCatalog catalog;
    private final ToolRules rules;
    /** The conversation of this proxy's calls (for per-conversation budgets): one per proxy session. */
    private final CallContext session = new CallContext(null, "mcp-session-" + java.util.UUID.randomUUID(), java.util.Map.of());

    ToolCallGuard(Guard guard, String agent, String agentId, String server, ToolCatalog catalog) {
        this(guard, agent, agentId, server, catalog, ToolRules.empty());
    }

    ToolCallGuard(Guard guard, String agent, String agentId, String server, ToolCatalog catalog, ToolRules rules) {
        this.rules = rules;
        this.guard = guard;
        this.agent = agent;
        this.agentId = agentId;
        this.server = server;
        this.catalog = catalog;
    }

    static String resource(String server, String tool) {
        return "tool://mcp/" + server + "/" + tool;
    }

    /** The rules for {@code tool} of {@code server}: its {@code mcp/<server>/<tool>} entry, else the safe default. */
    static ToolPolicy policy(ToolRules rules, String server, String tool) {
        return rules.policyFor("mcp/" + server + "/" + tool, resource(server, tool));
    }

    /** {@code frame} is the client's exact message: the arguments are made canonical from its text, numbers as written. */
    Verdict decide(JsonRpcMessage.Request request, byte[] frame) {
        JsonNode params = request.tree().get("params");
        JsonNode name = params == null ? null : params.get("name");
        if (name == null || !name.isTextual()) {
            return new Verdict.Answer(JsonRpc.error(request.id(), -32602, "Invalid params: tools/call needs a string params.name"));
        }
        String tool = name.textValue();
        ToolPolicy policy = policy(rules, server, tool);
        String resource = policy.resource();
        JsonNode args = params.get("arguments");
        if (args != null && !args.isNull() && !args.isObject()) {
            return refuse(request, tool, resource, ReasonCode.MALFORMED, "the call is malformed: arguments must be a JSON object.");
        }
        byte[] canonical;
        try {
            canonical = args == null || args.isNull() ? "{}".getBytes(StandardCharsets.UTF_8) : argumentsAsWritten(frame);
        } catch (RuntimeException e) {
            return refuse(request, tool, resource, ReasonCode.MALFORMED,
                    "the arguments have no canonical JSON form (for example a lone surrogate, or deeper or larger than Moat's limits).");
        }
        String refusal = catalog.refusal(tool);
        if (refusal != null) {
            return refuse(request, tool, resource, ReasonCode.NOT_APPROVED, refusal);
        }
        String misfit = catalog.misfit(tool);
        if (misfit != null) {
            return refuse(request, tool, resource, ReasonCode.ARGUMENT_REJECTED, misfit);
        }
        String unsupported = policy.approvalRequired() ? "approval" : policy.sandbox().isPresent() ? "a sandbox module"
                : !policy.secrets().isEmpty() ? "secrets" : null;
        if (unsupported != null) {
            return refuse(request, tool, resource, policy.approvalRequired() ? ReasonCode.NOT_APPROVED : ReasonCode.ARGUMENT_REJECTED,
                    "the policy configures this tool with " + unsupported + ", which the MCP proxy cannot provide.");
        }
        Decision d = guard.decide(ToolCall.builder(agent, resource, policy.action()).arguments(canonical)
                .context(session).check(policy.check(session, null)).build());
        if (d instanceof Decision.Deny deny) {
            return new Verdict.Answer(JsonRpc.toolError(request.id(), Denials.text(guard.denialText(), tool, deny)));
        }
        Decision.Allow allow = (Decision.Allow) d;
        return new Verdict.Forward(forwarded(request.id(), tool, allow.message().body(), (ObjectNode) params), tool, allow);
    }

    /**
     * The canonical form of {@code params.arguments} read from the frame's own text (not from
     * Jackson's tree, whose numbers are re-written: {@code 1e4} would become {@code 1E+4}), so the
     * server receives each number exactly as the client wrote it. Limits as for any tool's
     * arguments, with two levels for the envelope.
     */
    @SuppressWarnings("unchecked")
    static byte[] argumentsAsWritten(byte[] frame) {
        JsonLimits limits = new JsonLimits(Math.max(1, Math.min(frame.length, 64 << 20)), JsonLimits.DEFAULT.maxDepth() + 2,
                JsonLimits.DEFAULT.maxNumberLength());
        Object envelope = CanonicalJson.parse(frame, limits);
        Object params = envelope instanceof Map<?, ?> m ? m.get("params") : null;
        Object arguments = params instanceof Map<?, ?> p ? p.get("arguments") : null;
        if (!(arguments instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("arguments must be an object");
        }
        byte[] canonical = CanonicalJson.encode(arguments);
        if (canonical.length > JsonLimits.DEFAULT.maxBytes()) {
            throw new IllegalArgumentException("arguments exceed " + JsonLimits.DEFAULT.maxBytes() + " bytes");
        }
        return canonical;
    }

    /** A refusal before the PEP (not signed): audited as a guard-stage decision, answered as a tool error. */
    private Verdict refuse(JsonRpcMessage.Request request, String tool, String resource, ReasonCode code, String hint) {
        guard.audit().append(new AuditEvent.Decision(agentId, resource, ACTION, false, Stage.GUARD.code(), code.code(),
                "mcp proxy: " + hint, null, null));
        return new Verdict.Answer(JsonRpc.toolError(request.id(), Denials.text(tool, Stage.GUARD.code(), code, hint)));
    }

    /**
     * {@code {"jsonrpc":"2.0","id":..,"method":"tools/call","params":{"name":..,"arguments":<signed bytes>,...}}}:
     * the other members of {@code params} ({@code _meta}, {@code task}) are kept as the client sent them.
     */
    static byte[] forwarded(JsonNode id, String tool, byte[] signedArguments, ObjectNode params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(signedArguments.length + 128);
        write(out, "{\"jsonrpc\":\"2.0\",\"id\":");
        write(out, id.toString());
        write(out, ",\"method\":\"tools/call\",\"params\":{\"name\":");
        write(out, JsonRpc.MAPPER.getNodeFactory().textNode(tool).toString());
        write(out, ",\"arguments\":");
        out.writeBytes(signedArguments);
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("name") || e.getKey().equals("arguments")) {
                continue;
            }
            write(out, ",");
            write(out, JsonRpc.MAPPER.getNodeFactory().textNode(e.getKey()).toString());
            write(out, ":");
            out.writeBytes(JsonRpc.write(e.getValue()));
        }
        write(out, "}}");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
