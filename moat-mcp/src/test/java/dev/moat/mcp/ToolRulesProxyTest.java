package dev.moat.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.policy.MoatPolicy;
import dev.moat.tool.ConformanceCases;
import dev.moat.tool.ToolRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy file's {@code tools:} section applied by the MCP proxy: the shared conformance cases
 * (spec/tool-rules/conformance.json) as tools of server {@code conf} ({@code mcp/conf/<tool>}
 * entries), a typo in a rule refused once the tool's schema is listed, and the numbers the server
 * receives written as the model wrote them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolRulesProxyTest {
    /** The conformance tools as an MCP server lists them, with input schemas. */
    static final String TOOLS = """
            {"tools":[
             {"name":"mail_send","inputSchema":{"type":"object","properties":{"recipients":{"type":"array","items":{"type":"string"}},
               "attachments":{"type":"array","items":{"type":"object","properties":{"type":{"type":"string"},"file_id":{"type":"string"}}}},
               "bcc":{"type":"string"},"subject":{"type":"string"}}}},
             {"name":"pay","inputSchema":{"type":"object","properties":{"amount":{"type":"number"},"iban":{"type":"string"},"currency":{"type":"string"}}}},
             {"name":"fetch","inputSchema":{"type":"object","properties":{"url":{"type":"string"}}}},
             {"name":"share","inputSchema":{"type":"object","properties":{"type":{"type":"string"},"recipient":{"type":"string"}}}},
             {"name":"read","inputSchema":{"type":"object","properties":{"path":{"type":"string"},"mode":{"type":"integer"}}}}]}
            """.replace("\\n", "");

    @TempDir
    Path tmp;

    private ToolRules rules(String tools) throws Exception {
        Files.createDirectories(tmp.resolve("workspace/notes"));
        String policy = ConformanceCases.policy("").replaceFirst("tools: .*", java.util.regex.Matcher.quoteReplacement("tools: " + tools));
        return ToolRules.fromPolicy(MoatPolicy.parse(tmp.resolve("moat.yaml"), policy.getBytes(StandardCharsets.UTF_8)));
    }

    private static String call(int id, String tool, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + "}}";
    }

    @TestFactory
    Stream<DynamicTest> theConformanceCasesThroughTheProxy() throws Exception {
        ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("home")),
                g -> g.allow("tool://mcp/conf/*", "execute"));
        ToolRules rules = rules(ConformanceCases.toolsSection("mcp/conf/"));
        ScriptedUpstream up = new ScriptedUpstream(TOOLS);
        RawClient c = new RawClient(h.proxy("conf", McpLimits.DEFAULTS, rules), up);
        c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("tools")).hasSize(5);
        List<ConformanceCases.Case> cases = ConformanceCases.cases().stream()
                .filter(k -> k.conversation().equals("c1") || !k.tool().equals("pay")).toList();
        int[] id = {10};
        return Stream.concat(cases.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            int before = up.calls().size();
            c.send(call(id[0]++, k.tool(), k.arguments()));
            JsonNode result = JsonRpc.MAPPER.readTree(c.next()).path("result");
            if (k.allowed()) {
                assertThat(result.path("isError").asBoolean()).as(k.name() + ": " + result).isFalse();
                assertThat(up.calls()).hasSize(before + 1);
            } else {
                assertThat(result.path("isError").asBoolean()).as(k.name()).isTrue();
                assertThat(result.toString()).as(k.name()).contains("argument_rejected");
                assertThat(up.calls()).as("nothing reaches the server").hasSize(before);
            }
        })), Stream.of(DynamicTest.dynamicTest("close", () -> {
            c.close();
            h.assertAuditIntact();
            h.close();
        })));
    }

    @Test
    void theServerReceivesNumbersAsTheModelWroteThem() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("n")), g -> g.allow("tool://mcp/conf/*", "execute"))) {
            ToolRules rules = rules("{\"mcp/conf/pay\": {\"arguments\": [{\"path\": amount, \"max\": \"20000\"}]}}");
            ScriptedUpstream up = new ScriptedUpstream(TOOLS);
            try (RawClient c = new RawClient(h.proxy("conf", McpLimits.DEFAULTS, rules), up)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
                c.next();
                c.send(call(2, "pay", "{\"iban\":\"X\",\"amount\":10000.0}"));
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("content").get(0).path("text").asText())
                        .isEqualTo("{\"amount\":10000.0,\"iban\":\"X\"}");
                c.send(call(3, "pay", "{\"amount\":1.5E+3}"));
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("content").get(0).path("text").asText())
                        .isEqualTo("{\"amount\":1.5E+3}");
                c.send(call(4, "pay", "{\"amount\":1e4, \"n\": 12.50}"));
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("content").get(0).path("text").asText())
                        .isEqualTo("{\"amount\":1e4,\"n\":12.50}");
            }
        }
    }

    @Test
    void aRuleOnAnArgumentTheListedSchemaDoesNotHaveRefusesTheTool() throws Exception {
        try (ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("t")), g -> g.allow("tool://mcp/conf/*", "execute"))) {
            ToolRules rules = rules("{\"mcp/conf/share\": {\"arguments\": [{\"path\": recipent, \"one_of\": [a@example.com]}]}}");
            ScriptedUpstream up = new ScriptedUpstream(TOOLS);
            try (RawClient c = new RawClient(h.proxy("conf", McpLimits.DEFAULTS, rules), up)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
                c.next();
                c.send(call(2, "share", "{\"type\":\"external\",\"recipient\":\"eve@evil.com\"}"));
                JsonNode result = JsonRpc.MAPPER.readTree(c.next()).path("result");
                assertThat(result.path("isError").asBoolean()).isTrue();
                assertThat(result.toString()).contains("argument_rejected").contains("recipent");
                assertThat(up.calls()).isEmpty();
            }
            assertThat(h.operatorLog()).contains("recipent");
            h.assertAuditIntact();
        }
    }

    @Test
    void aToolNoRuleNamesKeepsTheSafeDefault() throws Exception {
        // a grant for another server's tool does not cover this one: the default resource names the server
        try (ProxyHarness h = new ProxyHarness(Files.createDirectories(tmp.resolve("d")), g -> g.allow("tool://mcp/other/fetch", "execute"))) {
            ScriptedUpstream up = new ScriptedUpstream(TOOLS);
            try (RawClient c = new RawClient(h.proxy("conf", McpLimits.DEFAULTS, rules("{}")), up)) {
                c.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
                assertThat(JsonRpc.MAPPER.readTree(c.next()).path("result").path("tools")).isEmpty();
                c.send(call(2, "fetch", "{\"url\":\"https://example.com\"}"));
                assertThat(JsonRpc.MAPPER.readTree(c.next()).toString()).contains("not_granted");
                assertThat(up.calls()).isEmpty();
            }
        }
    }
}
