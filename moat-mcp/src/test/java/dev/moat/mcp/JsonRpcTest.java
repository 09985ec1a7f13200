package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Envelope classification: what is a request, a notification, a response, and what is refused. */
class JsonRpcTest {
    static JsonRpcMessage parse(String s) {
        return JsonRpc.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void requestsNotificationsAndResponsesAreTold() {
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{}}"))
                .isInstanceOfSatisfying(JsonRpcMessage.Request.class, r -> assertThat(r.method()).isEqualTo("tools/call"));
        assertThat(parse("{\"method\":\"notifications/initialized\",\"jsonrpc\":\"2.0\"}")).isInstanceOf(JsonRpcMessage.Notification.class);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"x\":1.25e3}}")).isInstanceOf(JsonRpcMessage.Response.class);
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"x\"}}")).isInstanceOf(JsonRpcMessage.Response.class);
    }

    @Test
    void escapedMethodNamesAreReadAsTheServerReadsThem() {
        assertThat(parse("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools\\/c\\u0061ll\"}"))
                .isInstanceOfSatisfying(JsonRpcMessage.Request.class, r -> assertThat(r.method()).isEqualTo("tools/call"));
    }

    @Test
    void ambiguousOrMalformedMessagesAreInvalid() {
        for (String bad : new String[] {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/call\"}",   // duplicate key
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} {}",                           // trailing content
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}]",                     // batch
            "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",                            // fractional id
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}",                             // object id
            "{\"id\":1,\"method\":\"ping\"}",                                                  // no version
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}",                                     // method not a string
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":[1]}",         // positional params
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}",                      // both
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"result\":{}}",                   // request with a result
            "{\"jsonrpc\":\"2.0\",\"id\":1,/*c*/\"method\":\"ping\"}",                         // comment
            "\"just a string\"",
            "{" + "\"a\":{".repeat(70) + "}".repeat(71),                                      // too deep
            "\u00ff\u00fe",
        }) {
            assertThat(parse(bad)).as(bad).isInstanceOf(JsonRpcMessage.Invalid.class);
        }
    }

    @Test
    void anInvalidRequestKeepsItsIdSoThePeerCanBeAnswered() {
        assertThat(parse("{\"jsonrpc\":\"1.0\",\"id\":42,\"method\":\"ping\"}"))
                .isInstanceOfSatisfying(JsonRpcMessage.Invalid.class, i -> assertThat(i.id().asInt()).isEqualTo(42));
    }

    @Test
    void aDenialIsAToolResultMarkedAsAnError() throws Exception {
        var node = JsonRpc.MAPPER.readTree(JsonRpc.toolError(JsonRpc.MAPPER.getNodeFactory().numberNode(5), "no"));
        assertThat(node.path("id").asInt()).isEqualTo(5);
        assertThat(node.path("result").path("isError").asBoolean()).isTrue();
        assertThat(node.path("result").path("content").get(0).path("text").asText()).isEqualTo("no");
    }

    @Test
    void theForwardedCallCarriesTheSignedBytesVerbatimAndKeepsMeta() throws Exception {
        var params = (com.fasterxml.jackson.databind.node.ObjectNode) JsonRpc.MAPPER.readTree(
                "{\"name\":\"read\",\"arguments\":{\"z\":1,\"a\":2},\"_meta\":{\"progressToken\":3}}");
        byte[] signed = "{\"a\":2,\"z\":1}".getBytes(StandardCharsets.UTF_8);
        String out = new String(ToolCallGuard.forwarded(JsonRpc.MAPPER.getNodeFactory().textNode("id-1"), "read", signed, params),
                StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"id-1\",\"method\":\"tools/call\",\"params\":{\"name\":\"read\","
                + "\"arguments\":{\"a\":2,\"z\":1},\"_meta\":{\"progressToken\":3}}}");
    }
}
