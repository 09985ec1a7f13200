package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.json.CanonicalJson;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.util.Iterator;
import java.util.Map;

/**
 * Requests the server sends the client ({@code sampling/createMessage}, {@code elicitation/create},
 * {@code roots/list}, and any a later protocol revision adds) pass only when the agent's capability
 * grants action {@code request} on {@code mcp://<server>/<method>}; by default nothing does. Each
 * one goes through the {@link Guard} (signed, checked, audited) with the SHA-256 of the exact message
 * bytes as its arguments, and is then relayed unchanged. {@code ping} always passes.
 *
 * <p>MCP 2026-07-28 moves these requests into results: a {@code tools/call}, {@code prompts/get} or
 * {@code resources/read} may be answered with {@code resultType: "input_required"} and a map of
 * {@code inputRequests} the client fulfils before retrying. Each embedded request is checked the
 * same way ({@link #refusalOfEmbedded}); one refusal refuses the whole result.
 */
final class ServerRequests {
    static final String ACTION = "request";

    private final Guard guard;
    private final String agent;
    private final String server;

    ServerRequests(Guard guard, String agent, String server) {
        this.guard = guard;
        this.agent = agent;
        this.server = server;
    }

    static String resource(String server, String method) {
        return "mcp://" + server + "/" + method;
    }

    /**
     * {@code null} when every request embedded in a result's {@code inputRequests} may reach the
     * client; else the denial (a malformed entry is denied too).
     */
    Decision.Deny refusalOfEmbedded(JsonNode inputRequests) {
        for (Iterator<Map.Entry<String, JsonNode>> it = inputRequests.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode method = e.getValue().get("method");
            if (method == null || !method.isTextual()) {
                return Decision.Deny.of(Stage.GUARD, ReasonCode.MALFORMED, "an embedded input request has no method");
            }
            byte[] args = CanonicalJson.encode(Map.of("message_sha256", Base64Url.encode(Sha256.hash(JsonRpc.write(e.getValue())))));
            Decision d = guard.check(ToolCall.builder(agent, resource(server, method.textValue()), ACTION).arguments(args).build());
            if (d instanceof Decision.Deny deny) {
                return deny;
            }
        }
        return null;
    }

    /** {@code null} when {@code frame} may reach the client; else the error to answer the server with. */
    byte[] refusal(JsonRpcMessage.Request request, byte[] frame) {
        if (request.method().equals("ping")) {
            return null;
        }
        byte[] args = CanonicalJson.encode(Map.of("message_sha256", Base64Url.encode(Sha256.hash(frame))));
        Decision d = guard.check(ToolCall.builder(agent, resource(server, request.method()), ACTION).arguments(args).build());
        if (d instanceof Decision.Deny deny) {
            return JsonRpc.error(request.id(), JsonRpc.DENIED, "Moat denied the server's " + request.method()
                    + " request (stage " + deny.stage().code() + ", reason " + deny.code().code() + ")");
        }
        return null;
    }
}
