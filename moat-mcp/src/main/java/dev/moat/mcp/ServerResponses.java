package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.audit.AuditEvent;
import dev.moat.pep.Decision;
import java.util.function.Consumer;

/**
 * What the client receives for the server's answer to one of its requests: a result holding
 * embedded input requests is checked first ({@link ServerRequests#refusalOfEmbedded}); a
 * {@code tools/call} answer is relayed unchanged and its outcome audited; a {@code tools/list} answer
 * is pinned and filtered ({@link ToolCatalog#filter}); any other answer is relayed unchanged.
 */
final class ServerResponses {
    private final ToolCatalog catalog;
    private final ServerRequests serverRequests;
    private final Outcomes outcomes;
    private final Consumer<String> log;

    ServerResponses(ToolCatalog catalog, ServerRequests serverRequests, Outcomes outcomes, Consumer<String> log) {
        this.catalog = catalog;
        this.serverRequests = serverRequests;
        this.outcomes = outcomes;
        this.log = log;
    }

    byte[] answer(Pending p, JsonRpcMessage.Response r, byte[] frame) {
        JsonNode inputs = r.tree().path("result").path("inputRequests");
        if (inputs.isObject() && inputs.size() > 0) {
            Decision.Deny deny = serverRequests.refusalOfEmbedded(inputs);
            if (deny != null) {
                outcomes.record(p, AuditEvent.ToolOutcome.Status.ERROR, null, "InputRequestDenied");
                return p instanceof Pending.ToolCall call
                        ? JsonRpc.toolError(p.id(), Denials.text(call.tool(), deny.stage().code(), deny.code(),
                                "the server asked the client for input (sampling, elicitation or roots) that this agent may not give."))
                        : JsonRpc.error(p.id(), JsonRpc.DENIED, "Moat denied the server's request for input (stage "
                                + deny.stage().code() + ", reason " + deny.code().code() + ")");
            }
        }
        if (p instanceof Pending.ToolCall call) {
            JsonNode result = r.tree().get("result");
            if (r.isError()) {
                outcomes.record(call, AuditEvent.ToolOutcome.Status.ERROR, null, "JsonRpcError " + r.tree().path("error").path("code").asText());
            } else if (result != null && result.path("isError").asBoolean(false)) {
                outcomes.record(call, AuditEvent.ToolOutcome.Status.ERROR, null, "ToolError");
            } else {
                outcomes.record(call, AuditEvent.ToolOutcome.Status.OK, frame, null);
            }
            return frame;
        }
        if (p instanceof Pending.ToolList) {
            ObjectNode filtered;
            try {
                filtered = catalog.filter(r.tree());
            } catch (RuntimeException e) {
                log.accept("could not pin the tool list: " + e.getMessage());
                filtered = null;
            }
            return filtered == null
                    ? JsonRpc.error(p.id(), JsonRpc.UPSTREAM_ERROR, "the server's tools/list result is malformed or could not be pinned")
                    : JsonRpc.write(filtered);
        }
        return frame;
    }
}
