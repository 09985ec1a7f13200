package dev.moat.mcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The proxy's bounds. {@code maxMessageBytes}: one JSON-RPC message from either side (a larger one
 * ends the session cleanly: its id cannot be known without reading it whole).
 * {@code callTimeout}: how long a client request may wait for the server's answer before the proxy
 * answers it with an error. {@code shutdownGrace}: how long the server gets to answer what is in
 * flight and exit after the client has gone, before it is stopped (then killed after as long again).
 */
public record McpLimits(int maxMessageBytes, Duration callTimeout, Duration shutdownGrace) {
    /** 16 MiB per message, 120 s per request, 2 s grace. */
    public static final McpLimits DEFAULTS = new McpLimits(16 * 1024 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(2));

    public McpLimits {
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024");
        }
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (callTimeout.isNegative() || callTimeout.isZero() || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public McpLimits withMaxMessageBytes(int bytes) {
        return new McpLimits(bytes, callTimeout, shutdownGrace);
    }

    public McpLimits withCallTimeout(Duration timeout) {
        return new McpLimits(maxMessageBytes, timeout, shutdownGrace);
    }

    public McpLimits withShutdownGrace(Duration grace) {
        return new McpLimits(maxMessageBytes, callTimeout, grace);
    }
}
