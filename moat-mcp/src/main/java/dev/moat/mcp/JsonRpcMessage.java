package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 2.0 message as the proxy classifies it. Only the envelope is interpreted here; what
 * a message carries ({@code params}, {@code result}) stays a tree that the guarded paths read.
 * {@code id} is kept as the node the peer sent (a string or a number), and {@link #idKey} is its
 * exact JSON text, used to match a response to its request.
 */
sealed interface JsonRpcMessage {

    /** A request: it has a {@code method} and an {@code id}, and expects one response. */
    record Request(JsonNode id, String method, ObjectNode tree) implements JsonRpcMessage {}

    /** A notification: a {@code method} and no {@code id}. */
    record Notification(String method, ObjectNode tree) implements JsonRpcMessage {}

    /** A response: an {@code id} and exactly one of {@code result} or {@code error}. */
    record Response(JsonNode id, ObjectNode tree) implements JsonRpcMessage {
        boolean isError() {
            return tree.has("error");
        }
    }

    /**
     * Not a usable JSON-RPC message. {@code id} is the request id when one could be read (so the
     * peer can be answered), else {@code null}; {@code code} is the JSON-RPC error code.
     */
    record Invalid(JsonNode id, int code, String reason) implements JsonRpcMessage {}

    static String idKey(JsonNode id) {
        return id.toString();
    }
}
