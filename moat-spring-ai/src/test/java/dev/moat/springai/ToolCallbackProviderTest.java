package dev.moat.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;

/**
 * Provider tools (the shape MCP tools arrive in: a {@link ToolCallbackProvider} of callbacks that
 * are not {@code @Tool} methods) are guarded callback by callback, definitions unchanged; a callback
 * is never guarded twice.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ToolCallbackProviderTest {
    private final TestMoat moat = new TestMoat(g -> g.allow("tool://read_inbox", "execute").allow("tool://remote_search", "execute"));

    @AfterEach
    void close() {
        moat.close();
    }

    /** A callback that is not a method tool, as an MCP client's would be. */
    static final class RemoteTool implements ToolCallback {
        final String name;
        final List<String> inputs = new CopyOnWriteArrayList<>();

        RemoteTool(String name) {
            this.name = name;
        }

        @Override
        public ToolDefinition getToolDefinition() {
            return ToolDefinition.builder().name(name).description("remote " + name).inputSchema("{\"type\":\"object\"}").build();
        }

        @Override
        public String call(String toolInput) {
            inputs.add(toolInput);
            return "remote result for " + toolInput;
        }
    }

    @Test
    void everyProvidedCallbackIsGuardedAndKeepsItsDefinition() {
        RemoteTool search = new RemoteTool("remote_search");
        RemoteTool wipe = new RemoteTool("remote_wipe");
        MoatToolCallbacks tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build();

        ToolCallback[] guarded = tools.provider(ToolCallbackProvider.from(search, wipe)).getToolCallbacks();

        assertThat(guarded).hasSize(2).allSatisfy(c -> assertThat(c).isInstanceOf(GuardedToolCallback.class));
        assertThat(guarded[0].getToolDefinition()).isEqualTo(search.getToolDefinition());
        assertThat(guarded[0].call("{\"q\" : \"moat\"}", new ToolContext(java.util.Map.of()))).isEqualTo("remote result for {\"q\":\"moat\"}");
        assertThat(guarded[1].call("{}")).startsWith("denied:").endsWith("(capability/not_granted)");
        assertThat(search.inputs).containsExactly("{\"q\":\"moat\"}");
        assertThat(wipe.inputs).isEmpty();
    }

    @Test
    void methodToolsThroughSpringsOwnProviderAreGuardedOnce() {
        MailTools mail = new MailTools();
        MoatToolCallbacks tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build();
        ToolCallbackProvider provider = tools.provider(MethodToolCallbackProvider.builder().toolObjects(mail).build());

        ToolCallback[] once = provider.getToolCallbacks();
        ToolCallback[] twice = tools.guard(once);

        assertThat(twice).containsExactly(once);
        ToolCallback read = java.util.Arrays.stream(twice).filter(c -> c.getToolDefinition().name().equals("read_inbox")).findFirst().orElseThrow();
        assertThat(read.call("{}")).contains("boss@acme.test");
        assertThat(moat.decisions()).hasSize(1);
    }
}
