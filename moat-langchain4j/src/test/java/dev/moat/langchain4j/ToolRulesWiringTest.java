package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.moat.MoatException;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.langchain4j.internal.Results;
import dev.moat.tool.MaxLength;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.tool.rule.ArgumentRule;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where a LangChain4j tool's rules come from: annotations, the tools: section, never both; typos refused. */
@Timeout(60)
class ToolRulesWiringTest {
    public static final class PlainTools {
        @Tool(name = "echo", value = "Echoes")
        public String echo(String text) {
            return "echo:" + text;
        }
    }

    public static final class AnnotatedEcho {
        @Tool(name = "echo", value = "Echoes")
        public String echo(@MaxLength(10) String text) {
            return "echo:" + text;
        }
    }

    private ConformanceFixture fx;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static ToolExecutionResult run(dev.langchain4j.service.tool.ToolExecutor e, String tool, String json) {
        return e.executeWithContext(ToolExecutionRequest.builder().id("1").name(tool).arguments(json).build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    @Test
    void aPlainToolIsConfiguredByItsToolsEntry() {
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("echo").constrain("text", ArgumentRule.oneOf("hi")).build()).build();
        var tools = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).build().tools(new PlainTools());
        var echo = tools.values().iterator().next();
        assertThat(run(echo, "echo", "{\"text\":\"hi\"}").resultText()).isEqualTo("echo:hi");
        assertThat(run(echo, "echo", "{\"text\":\"other\"}").attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
    }

    @Test
    void annotationsAndAToolsEntryForOneToolAreRefused() {
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("echo").constrain("text", ArgumentRule.oneOf("hi")).build()).build();
        assertThatThrownBy(() -> MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).build().tools(new AnnotatedEcho()))
                .isInstanceOf(MoatException.class).hasMessageContaining("configure it in one place");
    }

    @Test
    void aToolsEntryNamingAnArgumentAPlainToolDoesNotHaveIsRefused() {
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("echo").constrain("txet", ArgumentRule.oneOf("hi")).build()).build();
        assertThatThrownBy(() -> MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).build().tools(new PlainTools()))
                .isInstanceOf(MoatException.class).hasMessageContaining("[txet]");
    }

    @Test
    void aProviderToolWhoseRulesNameAMissingArgumentIsDeniedOnEveryCall() {
        AtomicInteger ran = new AtomicInteger();
        ToolSpecification send = ToolSpecification.builder().name("echo").description("echo")
                .parameters(JsonObjectSchema.builder().addStringProperty("recipient").build()).build();
        ToolProvider mcp = request -> ToolProviderResult.builder().add(send, (r, m) -> "ran " + ran.incrementAndGet()).build();
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("mcp/mail/echo").resource("tool://echo")
                .constrain("recipent", ArgumentRule.oneOf("a@example.com")).build()).build();

        var tool = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).build().provider("mcp/mail", mcp)
                .provideTools(new ToolProviderRequest("m", dev.langchain4j.data.message.UserMessage.from("hi"))).aiServiceTools().get(0);
        ToolExecutionResult r = run(tool.toolExecutor(), "echo", "{\"recipient\":\"eve@evil.com\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(r.resultText()).isEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)"); // detail: in the audit
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("recipent").contains("does not have"));
        assertThat(ran).hasValue(0);
        assertThat(fx.auditEvents()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(dev.moat.audit.AuditEvent.Decision.class,
                d -> assertThat(d.allowed()).isFalse()));
    }

    @Test
    void aDynamicToolWithATypoInItsPolicyIsRefusedAtBuildTime() {
        ToolSpecification spec = ToolSpecification.builder().name("echo").description("echo")
                .parameters(JsonObjectSchema.builder().addStringProperty("text").build()).build();
        MoatTools tools = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT)
                .policy(ToolPolicy.forTool("echo").constrain("txt", ArgumentRule.maxLength(3)).build()).build();
        assertThatThrownBy(() -> tools.executor(spec, (r, m) -> "x")).isInstanceOf(MoatException.class).hasMessageContaining("[txt]");
    }

    @Test
    void theToolReceivesNumbersExactlyAsTheModelWroteThem() {
        java.util.List<String> received = new java.util.ArrayList<>();
        ToolSpecification pay = ToolSpecification.builder().name("echo").description("pays")
                .parameters(JsonObjectSchema.builder().addNumberProperty("amount").build()).build();
        ToolProvider mcp = request -> ToolProviderResult.builder().add(pay, (r, m) -> {
            received.add(r.arguments());
            return "ok";
        }).build();
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("mcp/bank/echo").resource("tool://echo")
                .constrain("amount", ArgumentRule.range("0", "20000")).build()).build();
        var tool = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).build().provider("mcp/bank", mcp)
                .provideTools(new ToolProviderRequest("m", dev.langchain4j.data.message.UserMessage.from("hi"))).aiServiceTools().get(0);

        for (String n : new String[] {"10000.0", "1E+4", "12.50", "-0", "1e-2"}) {
            assertThat(run(tool.toolExecutor(), "echo", "{ \"amount\" : " + n + " }").resultText()).isEqualTo("ok");
        }
        assertThat(received).containsExactly("{\"amount\":10000.0}", "{\"amount\":1E+4}", "{\"amount\":12.50}",
                "{\"amount\":-0}", "{\"amount\":1e-2}");
    }

    @Test
    void approvalFromTheToolsEntryAsksTheApproverWithTheToolsName() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("echo").requireApproval().build()).build();
        var echo = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).rules(rules).approver(req -> {
            asked.add(req.tool() + " " + req.arguments());
            return req.arguments().contains("ok") ? req.approve("alice") : req.refuse("alice", "no");
        }).build().tools(new PlainTools()).values().iterator().next();

        assertThat(run(echo, "echo", "{\"text\":\"ok\"}").resultText()).isEqualTo("echo:ok");
        assertThat(run(echo, "echo", "{\"text\":\"nope\"}").attributes()).containsEntry(Results.REASON_CODE, "not_approved");
        assertThat(asked).containsExactly("echo {\"text\":\"ok\"}", "echo {\"text\":\"nope\"}");
    }
}
