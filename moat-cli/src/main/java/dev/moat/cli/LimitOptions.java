package dev.moat.cli;

import dev.moat.token.ResourceLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Sandbox limits a token carries. Unset options keep the base: nothing for a root token
 * (unlimited compute, no network, no files), the parent's limits for a delegation.
 */
final class LimitOptions {
    @Option(names = "--max-fuel", paramLabel = "N", description = "Wasm fuel (instructions) per call.")
    Long maxFuel;

    @Option(names = "--max-memory", paramLabel = "SIZE", description = "Memory cap, e.g. 64MiB.")
    String maxMemory;

    @Option(names = "--max-wall-time", paramLabel = "DURATION", description = "Wall-clock cap per call, e.g. 500ms, 10s.")
    String maxWallTime;

    @Option(names = "--allow-host", paramLabel = "HOST", description = "Allow network egress to HOST (or *.example.com). Repeatable.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--fs-read", paramLabel = "PATH", description = "Absolute path the tool may read below. Repeatable.")
    List<String> readPaths = new ArrayList<>();

    @Option(names = "--fs-write", paramLabel = "PATH", description = "Absolute path the tool may write below. Repeatable.")
    List<String> writePaths = new ArrayList<>();

    /** {@code base} with every given option applied. */
    ResourceLimits applyTo(ResourceLimits base) {
        if (maxFuel != null && maxFuel < 0) {
            throw CliException.usage("--max-fuel must not be negative");
        }
        Long memory = maxMemory == null ? base.maxMemoryBytes() : Long.valueOf(Quantities.bytes("--max-memory", maxMemory));
        Duration wall = maxWallTime == null ? base.maxWallTime() : Quantities.duration("--max-wall-time", maxWallTime);
        List<String> h = hosts.isEmpty() ? base.allowedHosts() : hosts;
        try {
            return new ResourceLimits(maxFuel == null ? base.maxFuel() : maxFuel, memory, wall,
                    hosts.isEmpty() ? base.networkAllowed() : true, h,
                    readPaths.isEmpty() ? base.readPaths() : readPaths,
                    writePaths.isEmpty() ? base.writePaths() : writePaths);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("limits: " + e.getMessage());
        }
    }
}
