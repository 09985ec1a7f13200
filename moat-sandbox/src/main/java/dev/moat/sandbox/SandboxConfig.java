package dev.moat.sandbox;

import dev.moat.MoatException;
import dev.moat.guard.SandboxModule;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * A sandbox's own limits. The token's limits can only tighten memory and wall time below these
 * defaults; fuel comes from the token alone ({@code null} there means no fuel limit).
 *
 * @param mode interpreter or compiled
 * @param defaultMemoryBytes memory cap when the token sets none, and the ceiling when it does
 * @param defaultWallTime deadline when the token sets none, and the ceiling when it does
 * @param maxOutputBytes stdout cap; writing more stops the run
 * @param maxStderrBytes stderr cap; more is dropped
 * @param maxModuleBytes module size cap
 * @param maxInputBytes JSON input cap
 * @param maxFsBytes cap on bytes copied from granted paths, and on each in-memory file system
 * @param maxFsFiles cap on files copied from granted paths
 * @param maxHttpRequests egress requests per run
 * @param maxHttpResponseBytes egress response body cap
 * @param cacheSize modules kept compiled
 * @param meterUnlimitedRuns inject fuel counting even when the token sets no fuel limit, so the
 *     report always says how much was used (default true); false runs such modules unmetered
 * @param httpClient client for egress (redirects are never followed by default)
 * @param egressDecorator adds headers to allowed requests (secret proxy hook)
 */
public record SandboxConfig(
        ExecutionMode mode,
        long defaultMemoryBytes,
        Duration defaultWallTime,
        int maxOutputBytes,
        int maxStderrBytes,
        int maxModuleBytes,
        int maxInputBytes,
        long maxFsBytes,
        int maxFsFiles,
        int maxHttpRequests,
        int maxHttpResponseBytes,
        int cacheSize,
        boolean meterUnlimitedRuns,
        HttpClient httpClient,
        EgressDecorator egressDecorator) {

    /** Builder of a {@link Sandbox}; every setter is optional. */
    public static final class Builder {
        private ExecutionMode mode = ExecutionMode.COMPILED;
        private long defaultMemoryBytes = 64L * 1024 * 1024;
        private Duration defaultWallTime = Duration.ofSeconds(10);
        private int maxOutputBytes = 1024 * 1024;
        private int maxStderrBytes = 64 * 1024;
        private int maxModuleBytes = 16 * 1024 * 1024;
        private int maxInputBytes = 1024 * 1024;
        private long maxFsBytes = 64L * 1024 * 1024;
        private int maxFsFiles = 10_000;
        private int maxHttpRequests = 16;
        private int maxHttpResponseBytes = 1024 * 1024;
        private int cacheSize = 64;
        private boolean meterUnlimitedRuns = true;
        private HttpClient httpClient;
        private EgressDecorator egressDecorator = EgressDecorator.NONE;

        Builder() {}

        public Builder mode(ExecutionMode v) {
            this.mode = Objects.requireNonNull(v, "mode");
            return this;
        }

        public Builder defaultMemoryBytes(long v) {
            this.defaultMemoryBytes = v;
            return this;
        }

        public Builder defaultWallTime(Duration v) {
            this.defaultWallTime = Objects.requireNonNull(v, "defaultWallTime");
            return this;
        }

        public Builder maxOutputBytes(int v) {
            this.maxOutputBytes = v;
            return this;
        }

        public Builder maxStderrBytes(int v) {
            this.maxStderrBytes = v;
            return this;
        }

        public Builder maxModuleBytes(int v) {
            this.maxModuleBytes = v;
            return this;
        }

        public Builder maxInputBytes(int v) {
            this.maxInputBytes = v;
            return this;
        }

        public Builder maxFsBytes(long v) {
            this.maxFsBytes = v;
            return this;
        }

        public Builder maxFsFiles(int v) {
            this.maxFsFiles = v;
            return this;
        }

        public Builder maxHttpRequests(int v) {
            this.maxHttpRequests = v;
            return this;
        }

        public Builder maxHttpResponseBytes(int v) {
            this.maxHttpResponseBytes = v;
            return this;
        }

        public Builder cacheSize(int v) {
            this.cacheSize = v;
            return this;
        }

        public Builder meterUnlimitedRuns(boolean v) {
            this.meterUnlimitedRuns = v;
            return this;
        }

        public Builder httpClient(HttpClient v) {
            this.httpClient = Objects.requireNonNull(v, "httpClient");
            return this;
        }

        public Builder egressDecorator(EgressDecorator v) {
            this.egressDecorator = Objects.requireNonNull(v, "egressDecorator");
            return this;
        }

        public Sandbox build() {
            if (defaultMemoryBytes < 65536 || defaultWallTime.isNegative() || defaultWallTime.isZero()
                    || maxOutputBytes < 0 || maxStderrBytes < 0 || maxModuleBytes <= 0
                    || maxModuleBytes > SandboxModule.MAX_BYTES || maxInputBytes < 0 || maxFsBytes < 0
                    || maxFsFiles < 0 || maxHttpRequests < 0 || maxHttpResponseBytes < 0 || cacheSize <= 0) {
                throw new MoatException("invalid sandbox configuration");
            }
            HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            return new Sandbox(new SandboxConfig(mode, defaultMemoryBytes, defaultWallTime, maxOutputBytes,
                    maxStderrBytes, maxModuleBytes, maxInputBytes, maxFsBytes, maxFsFiles, maxHttpRequests,
                    maxHttpResponseBytes, cacheSize, meterUnlimitedRuns, client, egressDecorator));
        }
    }
}
