package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolService;
import dev.moat.Moat;
import dev.moat.PolicyRuntime;
import dev.moat.policy.MoatPolicy;
import dev.moat.tool.ConformanceCases;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared tool-rule conformance cases (spec/tool-rules/conformance.json) through the Java
 * agent's LangChain4j hook: plain {@code @Tool} methods with no Moat code, the rules from the policy
 * file's top-level {@code tools:} section (read by {@link AgentSettings} as the agent does), each
 * call run by LangChain4j's own {@code ToolService.executeWithErrorHandling} with the case's chat
 * memory id as its conversation.
 */
@Timeout(120)
class AgentToolRulesTest {
    /** The conformance tools as an unmodified application writes them. */
    public static final class PlainTools {
        @Tool(name = "mail_send", value = "Sends mail")
        public String mailSend(List<String> recipients, List<Map<String, Object>> attachments, String bcc, String subject) {
            return "ok:mail_send";
        }

        @Tool(name = "pay", value = "Pays")
        public String pay(BigDecimal amount, String iban, String currency) {
            return "ok:pay";
        }

        @Tool(name = "fetch", value = "Fetches")
        public String fetch(String url) {
            return "ok:fetch";
        }

        @Tool(name = "share", value = "Shares")
        public String share(String type, String recipient) {
            return "ok:share";
        }

        @Tool(name = "read", value = "Reads")
        public String read(String path, Object mode) {
            return "ok:read";
        }
    }

    @TempDir
    static Path dir;
    private static Moat moat;

    @BeforeAll
    static void start() throws Exception {
        Path file = ConformanceCases.writePolicy(dir, "", "agent: {identity: assistant}\n");
        MoatPolicy policy = MoatPolicy.load(file);
        moat = PolicyRuntime.start(policy);
        AgentSettings settings = AgentSettings.from(policy);
        assertThat(settings.tool("pay").arguments()).isNotEmpty();
        InProcessAgent.use(moat.guard(), settings);
    }

    @AfterAll
    static void stop() {
        moat.close();
    }

    @TestFactory
    Stream<DynamicTest> casesThroughTheAgentsHook() {
        PlainTools tools = new PlainTools();
        return ConformanceCases.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ToolExecutionResult r = execute(tools, c.tool(), c.arguments(), c.conversation());
            if (c.allowed()) {
                assertThat(r.resultText()).as(c.name()).isEqualTo("ok:" + c.tool());
            } else {
                assertThat(r.attributes()).as(c.name() + ": " + r.resultText()).containsEntry(LangChain4jAccess.REASON_CODE, "argument_rejected");
            }
        }));
    }

    private static ToolExecutionResult execute(Object tools, String tool, String json, String conversation) {
        Method method = Arrays.stream(tools.getClass().getMethods())
                .filter(m -> m.isAnnotationPresent(Tool.class) && m.getAnnotation(Tool.class).name().equals(tool)).findFirst().orElseThrow();
        DefaultToolExecutor executor = DefaultToolExecutor.builder().object(tools).originalMethod(method).methodToInvoke(method)
                .wrapToolArgumentsExceptions(true).propagateToolExecutionExceptions(true).build();
        return ToolService.executeWithErrorHandling(ToolExecutionRequest.builder().id("1").name(tool).arguments(json).build(), executor,
                InvocationContext.builder().chatMemoryId(conversation).build(),
                (e, ctx) -> ToolErrorHandlerResult.text("bad arguments: " + e.getMessage()),
                (e, ctx) -> ToolErrorHandlerResult.text("failed: " + e.getMessage()));
    }
}
