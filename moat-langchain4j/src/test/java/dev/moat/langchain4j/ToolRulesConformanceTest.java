package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.moat.Moat;
import dev.moat.langchain4j.internal.Results;
import dev.moat.tool.ConformanceCases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared tool-rule conformance cases (spec/tool-rules/conformance.json) through LangChain4j:
 * once as annotated {@code @Tool} methods ({@link ConformanceTwinTools}), once as provider tools
 * configured only by the policy file's {@code tools:} section (source {@code conf}). Both must give
 * the decisions the YAML section gives in moat-core.
 */
@Timeout(120)
class ToolRulesConformanceTest {
    @TempDir
    static Path dir;
    private static Moat moat;

    @BeforeAll
    static void start() throws Exception {
        moat = ConformanceCases.start(dir, "conf/");
    }

    @AfterAll
    static void stop() {
        moat.close();
    }

    @TestFactory
    Stream<DynamicTest> annotatedTools() {
        Map<String, ToolExecutor> executors = new HashMap<>();
        MoatTools.builder(moat.guard(), "assistant").workspace(dir).build().tools(new ConformanceTwinTools())
                .forEach((spec, executor) -> executors.put(spec.name(), executor));
        return run(executors);
    }

    @TestFactory
    Stream<DynamicTest> providerToolsConfiguredByYaml() {
        ToolProvider provider = request -> {
            ToolProviderResult.Builder b = ToolProviderResult.builder();
            for (String tool : ConformanceCases.tools()) {
                b.add(spec(tool), (r, m) -> "ok:" + r.name());
            }
            return b.build();
        };
        ToolProvider guarded = MoatTools.builder(moat.guard(), "assistant").rules(moat.toolRules()).build()
                .provider("conf", provider);
        Map<String, ToolExecutor> executors = new HashMap<>();
        for (AiServiceTool t : guarded.provideTools(new ToolProviderRequest("m",
                dev.langchain4j.data.message.UserMessage.from("hi"))).aiServiceTools()) {
            executors.put(t.name(), t.toolExecutor());
        }
        return run(executors);
    }

    private static Stream<DynamicTest> run(Map<String, ToolExecutor> executors) {
        return ConformanceCases.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            ToolExecutionResult r = executors.get(c.tool()).executeWithContext(
                    ToolExecutionRequest.builder().id("1").name(c.tool()).arguments(c.arguments()).build(),
                    InvocationContext.builder().chatMemoryId(c.conversation()).build());
            if (c.allowed()) {
                assertThat(r.resultText()).as(c.name()).isEqualTo("ok:" + c.tool());
            } else {
                assertThat(r.attributes()).as(c.name() + ": " + r.resultText()).containsEntry(Results.REASON_CODE, "argument_rejected");
            }
        }));
    }

    /** The tools' input schemas, as an MCP server would list them (the rules' paths must exist in them). */
    private static ToolSpecification spec(String tool) {
        JsonObjectSchema.Builder p = JsonObjectSchema.builder();
        switch (tool) {
            case "mail_send" -> p.addProperty("recipients", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                    .addProperty("attachments", JsonArraySchema.builder().items(JsonObjectSchema.builder()
                            .addStringProperty("type").addStringProperty("file_id").build()).build())
                    .addStringProperty("bcc").addStringProperty("subject");
            case "pay" -> p.addNumberProperty("amount").addStringProperty("iban").addStringProperty("currency");
            case "fetch" -> p.addStringProperty("url");
            case "share" -> p.addStringProperty("type").addStringProperty("recipient");
            case "read" -> p.addStringProperty("path").addIntegerProperty("mode");
            default -> throw new IllegalArgumentException(tool);
        }
        return ToolSpecification.builder().name(tool).description(tool).parameters(p.build()).build();
    }
}
