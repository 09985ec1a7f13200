package dev.moat.mcp;

import java.io.IOException;
import java.time.Duration;

/**
 * The real MCP server behind the proxy, for example a child process on stdio
 * ({@link StdioUpstream}). Messages are whole JSON-RPC frames.
 */
public interface Upstream {

    /** Where the upstream delivers what the server sends. Called from one thread at a time. */
    interface Listener {
        /** One message from the server (within the size limit). */
        void onMessage(byte[] frame);

        /** The server is gone or broke the framing; no message follows. */
        void onClosed(String reason);
    }

    /** Starts the upstream; messages flow to {@code listener} from then on. */
    void start(Listener listener, McpLimits limits) throws IOException;

    /** Sends one message to the server. */
    void send(byte[] frame) throws IOException;

    /** No more messages will be sent (the client has gone); the server may still answer. */
    void endInput();

    /** Stops the server: asks it to exit, waits up to {@code grace}, then ends it. Idempotent. */
    void close(Duration grace);
}
