package dev.moat.springai;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A real MCP server (MCP Java SDK, stdio transport), started as a child process by
 * {@link McpToolCallbackProviderTest}: tools {@code search} and {@code wipe}; every call that
 * reaches it is appended to the file named by the first argument, so the test sees what ran.
 */
public final class McpTestServer {
    private McpTestServer() {}

    public static void main(String[] args) throws Exception {
        Path calls = Path.of(args[0]);
        var mapper = McpJsonDefaults.getMapper();
        var transport = new StdioServerTransportProvider(mapper);
        McpServer.sync(transport).serverInfo("moat-test-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tool("search", "Searches the documents", calls), tool("wipe", "Deletes every document", calls))
                .build();
        Thread.sleep(120_000); // the client ends this process when it closes; never outlive a test run
        System.exit(0);
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, String description, Path calls) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description(description)
                .inputSchema(Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string")))).build();
        return McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            Map<String, Object> a = request.arguments();
            try {
                Files.writeString(calls, name + " " + a + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return McpSchema.CallToolResult.builder().addTextContent(name + " ran with " + a).build();
        }).build();
    }
}
