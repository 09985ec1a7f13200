package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process upstream for the Java-only tests of framing and limits (the foreign tests use real
 * servers): it lists two tools, {@code read} and {@code write}, answers a {@code tools/call} with
 * the exact bytes of the arguments it received as text, and records every frame it was sent.
 */
final class ScriptedUpstream implements Upstream {
    static final String TOOLS = "{\"tools\":[{\"name\":\"read\",\"description\":\"Reads.\",\"inputSchema\":{\"type\":\"object\"}},"
            + "{\"name\":\"write\",\"description\":\"Writes.\",\"inputSchema\":{\"type\":\"object\"}},"
            + "{\"name\":\"ask\",\"description\":\"Asks the model.\",\"inputSchema\":{\"type\":\"object\"}}]}";
    /** The 2026-07-28 answer of a tool that needs the client's model first (SEP-2322). */
    static final String INPUT_REQUIRED = "{\"resultType\":\"input_required\",\"requestState\":\"st-1\",\"inputRequests\":{\"s1\":"
            + "{\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[],\"maxTokens\":5,\"temperature\":0.7}}}}";
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final String tools;

    ScriptedUpstream() {
        this(TOOLS);
    }

    /** With {@code tools} as the {@code tools/list} result. */
    ScriptedUpstream(String tools) {
        this.tools = tools;
    }
    private volatile Listener listener;
    private volatile boolean closed;

    @Override
    public void start(Listener listener, McpLimits limits) {
        this.listener = listener;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        received.add(frame);
        JsonNode msg;
        try {
            msg = JsonRpc.MAPPER.readTree(frame);
        } catch (IOException e) {
            throw new AssertionError("the proxy forwarded unreadable JSON: " + new String(frame, StandardCharsets.UTF_8));
        }
        if (!msg.has("id") || !msg.has("method")) {
            return;
        }
        String id = msg.get("id").toString();
        String method = msg.get("method").asText();
        String result = switch (method) {
            case "tools/list" -> tools;
            case "tools/call" -> msg.path("params").path("name").asText().equals("ask") ? INPUT_REQUIRED : "{\"content\":[{\"type\":\"text\",\"text\":"
                    + JsonRpc.MAPPER.getNodeFactory().textNode(arguments(frame)).toString() + "}]}";
            default -> "{}";
        };
        listener.onMessage(("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The raw text of {@code "arguments":...} in a forwarded tools/call (the proxy writes it verbatim). */
    static String arguments(byte[] frame) {
        String s = new String(frame, StandardCharsets.UTF_8);
        int at = s.indexOf(",\"arguments\":");
        int start = at + ",\"arguments\":".length();
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return s.substring(start, i + 1);
                }
            }
        }
        throw new AssertionError("no arguments in " + s);
    }

    List<JsonNode> calls() {
        return received.stream().map(f -> {
            try {
                return JsonRpc.MAPPER.readTree(f);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).filter(n -> "tools/call".equals(n.path("method").asText())).toList();
    }

    @Override
    public void endInput() {
        closed = true;
        Listener l = listener;
        if (l != null) {
            l.onClosed("input ended");
        }
    }

    @Override
    public void close(Duration grace) {
        closed = true;
    }
}
