package dev.moat.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * Parses and writes JSON-RPC 2.0 envelopes with limits: nesting at most 64, duplicate keys refused
 * anywhere (two readers must never disagree on what a message says), trailing content refused,
 * comments refused. Numbers are kept exactly (big decimals), so a message re-written by the
 * proxy carries the values the peer sent. Batches (arrays) are refused: MCP 2025-06-18 and later
 * have none, and a guard must see every call on its own.
 */
final class JsonRpc {
    /** JSON-RPC error codes the proxy sends. */
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined server error: the upstream server failed, timed out or went away. */
    static final int UPSTREAM_ERROR = -32000;
    /** Implementation-defined server error: Moat refused a request the server sent. */
    static final int DENIED = -32001;

    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64)
                            .maxNumberLength(1000)
                            .maxStringLength(Integer.MAX_VALUE)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private JsonRpc() {}

    /** Classifies one message (already within the size limit). Never throws. */
    static JsonRpcMessage parse(byte[] frame) {
        JsonNode node;
        try {
            node = MAPPER.readTree(frame);
        } catch (Exception e) {
            return new JsonRpcMessage.Invalid(null, PARSE_ERROR, "Parse error: not valid JSON (or a duplicate key)");
        } catch (StackOverflowError e) {
            return new JsonRpcMessage.Invalid(null, PARSE_ERROR, "Parse error: nested too deeply");
        }
        if (node == null || node.isArray()) {
            return new JsonRpcMessage.Invalid(null, INVALID_REQUEST, "Invalid Request: batches are not supported");
        }
        if (!node.isObject()) {
            return new JsonRpcMessage.Invalid(null, INVALID_REQUEST, "Invalid Request: not a JSON object");
        }
        ObjectNode obj = (ObjectNode) node;
        JsonNode id = obj.get("id");
        boolean hasId = id != null && !id.isNull();
        if (hasId && !(id.isTextual() || id.isIntegralNumber())) {
            return new JsonRpcMessage.Invalid(null, INVALID_REQUEST, "Invalid Request: id must be a string or an integer");
        }
        JsonNode version = obj.get("jsonrpc");
        if (version == null || !"2.0".equals(version.textValue())) {
            return new JsonRpcMessage.Invalid(hasId ? id : null, INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"");
        }
        JsonNode method = obj.get("method");
        if (method != null) {
            if (!method.isTextual()) {
                return new JsonRpcMessage.Invalid(hasId ? id : null, INVALID_REQUEST, "Invalid Request: method must be a string");
            }
            JsonNode params = obj.get("params");
            if (params != null && !params.isObject()) {
                return new JsonRpcMessage.Invalid(hasId ? id : null, INVALID_REQUEST, "Invalid Request: params must be an object");
            }
            if (obj.has("result") || obj.has("error")) {
                return new JsonRpcMessage.Invalid(hasId ? id : null, INVALID_REQUEST, "Invalid Request: a request cannot carry a result");
            }
            return hasId ? new JsonRpcMessage.Request(id, method.textValue(), obj)
                    : new JsonRpcMessage.Notification(method.textValue(), obj);
        }
        if (obj.has("id") && (obj.has("result") ^ obj.has("error"))) {
            // a response may carry id null (an error about an unreadable request)
            return new JsonRpcMessage.Response(id, obj);
        }
        return new JsonRpcMessage.Invalid(hasId ? id : null, INVALID_REQUEST, "Invalid Request: neither a request nor a response");
    }

    /** {@code {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":message}}}. */
    static byte[] error(JsonNode id, int code, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id == null ? o.nullNode() : id);
        ObjectNode err = o.putObject("error");
        err.put("code", code);
        err.put("message", message);
        return write(o);
    }

    /**
     * A {@code tools/call} result the model reads: one text item, {@code isError: true}, and
     * {@code resultType: "complete"}, which 2026-07-28 requires and earlier revisions allow (a
     * result may carry any further member).
     */
    static byte[] toolError(JsonNode id, String text) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        ObjectNode result = o.putObject("result");
        ObjectNode item = result.putArray("content").addObject();
        item.put("type", "text");
        item.put("text", text);
        result.put("isError", true);
        result.put("resultType", "complete");
        return write(o);
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
