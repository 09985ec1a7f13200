package dev.moat.springai;

import static dev.moat.springai.ScriptedChatModel.call;
import static dev.moat.springai.ScriptedChatModel.calls;
import static dev.moat.springai.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.tool.ToolCallback;

/**
 * MCP tools as Spring AI receives them: a real MCP server (MCP Java SDK over stdio, in a child
 * JVM), Spring AI's real {@link SyncMcpToolCallbackProvider}, guarded by
 * {@link MoatToolCallbacks#provider}, called by a ChatClient. The granted tool reaches the server
 * with the canonical arguments; the injected call to {@code wipe} is denied and never reaches it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class McpToolCallbackProviderTest {

    @Test
    void mcpToolsThroughSpringAisProviderAreGuarded(@TempDir Path dir) throws Exception {
        Path calls = dir.resolve("calls.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerParameters server = ServerParameters.builder(java)
                .args("-cp", System.getProperty("java.class.path"), McpTestServer.class.getName(), calls.toString()).build();
        McpSyncClient client = McpClient.sync(new StdioClientTransport(server, McpJsonDefaults.getMapper()))
                .requestTimeout(Duration.ofSeconds(30)).build();
        try {
            run(client, calls);
        } finally {
            client.closeGracefully();
        }
    }

    private void run(McpSyncClient client, Path calls) throws Exception {
        client.initialize();
        ToolCallback[] plain = new SyncMcpToolCallbackProvider(client).getToolCallbacks();
        String search = name(plain, "search");
        String wipe = name(plain, "wipe");
        try (TestMoat moat = new TestMoat(g -> g.allow("tool://mcp/docs/" + search, "execute"))) {
            MoatToolCallbacks tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build();
            ScriptedChatModel model = new ScriptedChatModel(
                    m -> calls(call("c1", search, "{ \"q\": \"invoice\" }"), call("c2", wipe, "{}")),
                    m -> text("done"));
            ChatClient chat = ChatClient.builder(model).defaultAdvisors(ToolCallingAdvisor.builder()
                    .toolCallingManager(DefaultToolCallingManager.builder().build()).build()).build();

            String answer = chat.prompt("find the invoice").toolCallbacks(tools.provider("mcp/docs", new SyncMcpToolCallbackProvider(client)))
                    .call().content();

            assertThat(answer).isEqualTo("done");
            assertThat(model.shownResults().get(0).responseData()).contains("search ran with {q=invoice}");
            assertThat(model.shownResults().get(1).responseData()).startsWith("denied:").contains("(capability/not_granted)");
            assertThat(Files.readAllLines(calls)).containsExactly("search {q=invoice}");
            assertThat(moat.decisions()).extracting(d -> d.resource() + " " + d.allowed())
                    .containsExactly("tool://mcp/docs/" + search + " true", "tool://mcp/docs/" + wipe + " false");
        }
    }

    private static String name(ToolCallback[] callbacks, String suffix) {
        return Arrays.stream(callbacks).map(c -> c.getToolDefinition().name()).filter(n -> n.endsWith(suffix))
                .findFirst().orElseThrow();
    }
}
