package dev.moat.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the sidecar listens and what it bounds. Build with {@link #builder(Path)}: the secret file
 * (where the per-start bearer secret and the URL are written, owner-only) is required.
 *
 * @param secretFile      where {@code {"url","token"}} is written, mode 0600
 * @param port            loopback port, 0 for an ephemeral one
 * @param maxRequestBytes largest accepted request body
 * @param maxSessions     most sessions bound at once
 * @param maxPending      most allowed decisions awaiting their outcome
 * @param decisionTtl     how long an allowed decision can be reported on
 * @param threads         request-handling threads
 * @param pathArguments   tool name to the argument holding a relative path; that tool's resource is
 *                        {@code tool://<tool>/<path>}, so grants confine it to folders
 */
public record BridgeConfig(Path secretFile, int port, int maxRequestBytes, int maxSessions, int maxPending,
                           Duration decisionTtl, int threads, Map<String, String> pathArguments) {
    public BridgeConfig {
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(decisionTtl, "decisionTtl");
        pathArguments = Map.copyOf(pathArguments);
        if (port < 0 || port > 65535 || maxRequestBytes < 1024 || maxSessions < 1 || maxPending < 1 || threads < 1
                || decisionTtl.isNegative() || decisionTtl.isZero()) {
            throw new IllegalArgumentException("invalid bridge limits");
        }
        pathArguments.forEach((tool, arg) -> {
            if (!ToolMapping.isToolName(tool) || arg.isEmpty()) {
                throw new IllegalArgumentException("invalid path argument mapping '" + tool + "=" + arg + "'");
            }
        });
    }

    public static Builder builder(Path secretFile) {
        return new Builder(secretFile);
    }

    /** Builder with the defaults: ephemeral port, 256 KiB requests, 256 sessions, 4096 pending, 5 min. */
    public static final class Builder {
        private final Path secretFile;
        private int port;
        private int maxRequestBytes = 256 * 1024;
        private int maxSessions = 256;
        private int maxPending = 4096;
        private Duration decisionTtl = Duration.ofMinutes(5);
        private int threads = 16;
        private Map<String, String> pathArguments = Map.of();

        private Builder(Path secretFile) {
            this.secretFile = Objects.requireNonNull(secretFile, "secretFile");
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder maxSessions(int n) {
            this.maxSessions = n;
            return this;
        }

        public Builder maxPending(int n) {
            this.maxPending = n;
            return this;
        }

        public Builder decisionTtl(Duration ttl) {
            this.decisionTtl = ttl;
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        public Builder pathArguments(Map<String, String> toolToArgument) {
            this.pathArguments = Map.copyOf(toolToArgument);
            return this;
        }

        public BridgeConfig build() {
            return new BridgeConfig(secretFile, port, maxRequestBytes, maxSessions, maxPending, decisionTtl, threads, pathArguments);
        }
    }
}
