package dev.moat.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
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
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * The shared tool-rule conformance cases (spec/tool-rules/conformance.json) through Spring AI:
 * once as annotated Spring AI {@code @Tool} methods (Spring AI's own MethodToolCallbacks), once as
 * provider tools configured only by the policy file's {@code tools:} section (source {@code conf}).
 * Both must give the decisions moat-core's YAML section and moat-langchain4j give.
 */
@Timeout(120)
class SpringToolRulesConformanceTest {
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
        Map<String, ToolCallback> callbacks = new HashMap<>();
        for (ToolCallback c : MoatToolCallbacks.builder(moat.guard(), "assistant").workspace(dir).build()
                .from(new SpringConformanceTwinTools())) {
            callbacks.put(c.getToolDefinition().name(), c);
        }
        return run(callbacks, "\"ok:");
    }

    @TestFactory
    Stream<DynamicTest> providerToolsConfiguredByYaml() {
        ToolCallback[] plain = ConformanceCases.tools().stream().map(SpringToolRulesConformanceTest::remote).toArray(ToolCallback[]::new);
        Map<String, ToolCallback> callbacks = new HashMap<>();
        for (ToolCallback c : MoatToolCallbacks.builder(moat.guard(), "assistant").rules(moat.toolRules()).build()
                .provider("conf", ToolCallbackProvider.from(plain)).getToolCallbacks()) {
            callbacks.put(c.getToolDefinition().name(), c);
        }
        return run(callbacks, "ok:");
    }

    private static Stream<DynamicTest> run(Map<String, ToolCallback> callbacks, String ranPrefix) {
        return ConformanceCases.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            String r = callbacks.get(c.tool()).call(c.arguments(),
                    new ToolContext(Map.of(GuardedToolCallback.CONVERSATION_KEY, c.conversation())));
            if (c.allowed()) {
                assertThat(r).as(c.name()).startsWith(ranPrefix + c.tool());
            } else {
                assertThat(r).as(c.name()).startsWith("denied:").endsWith("(guard/argument_rejected)");
            }
        }));
    }

    /** A provider tool that is not a method (as an MCP client's would be). */
    private static ToolCallback remote(String tool) {
        ToolDefinition definition = ToolDefinition.builder().name(tool).description(tool).inputSchema("{\"type\":\"object\"}").build();
        return new ToolCallback() {
            @Override
            public ToolDefinition getToolDefinition() {
                return definition;
            }

            @Override
            public String call(String input) {
                return "ok:" + tool;
            }
        };
    }
}
