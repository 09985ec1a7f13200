package dev.moat.sandbox;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.moat.audit.AuditEvent;
import dev.moat.crypto.Sha256;
import dev.moat.guard.SandboxModule;
import dev.moat.guard.SandboxResult;
import dev.moat.guard.SandboxRunner;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.pep.Decision;
import dev.moat.sandbox.internal.BoundedOutput;
import dev.moat.sandbox.internal.GuestFiles;
import dev.moat.sandbox.internal.GuestRun;
import dev.moat.sandbox.internal.HttpEgress;
import dev.moat.sandbox.internal.LoadedModule;
import dev.moat.sandbox.internal.ModuleCache;
import dev.moat.sandbox.internal.ModuleLoader;
import dev.moat.sandbox.internal.RunStopped;
import dev.moat.secrets.SecretEgress;
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretProxy;
import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs untrusted WebAssembly tools (WASI preview 1 commands) with the limits of a verified
 * token, tightened by this sandbox's own defaults. The tool protocol: JSON arguments on stdin,
 * a JSON result on stdout; no arguments, environment, clock, files or network beyond the grants.
 *
 * <p>Every call returns a {@link SandboxOutcome}; nothing the guest does, and no host-side
 * failure, escapes as an exception (fail closed: an unexpected error is
 * {@link SandboxFailure#INTERNAL}). Thread-safe: one sandbox serves concurrent calls and caches
 * each module (validated, instrumented, compiled) once per hash. As a {@link SandboxRunner} it is
 * what a {@code Guard} runs sandboxed calls in ({@code Moat.Builder.sandbox(...)}). See the
 * module's README.
 */
public final class Sandbox implements SandboxRunner {
    private final SandboxConfig config;
    private final ModuleCache cache;

    Sandbox(SandboxConfig config) {
        this.config = config;
        this.cache = new ModuleCache(config.cacheSize());
    }

    /** A builder with secure defaults: compiled mode, 64 MiB memory, 10 s, 1 MiB output, 16 MiB modules. */
    public static SandboxConfig.Builder builder() {
        return new SandboxConfig.Builder();
    }

    /** The configuration this sandbox enforces. */
    public SandboxConfig config() {
        return config;
    }

    /** Runs {@code moduleBytes} (copied and hashed; over the module cap is refused without parsing). */
    public SandboxOutcome run(byte[] moduleBytes, ResourceLimits limits, byte[] jsonInput) {
        long start = System.nanoTime();
        if (moduleBytes == null || moduleBytes.length > config.maxModuleBytes()) {
            // still identified in the report, so the audit names what was refused
            String sha = moduleBytes == null ? "" : HexFormat.of().formatHex(Sha256.hash(moduleBytes));
            return refused(sha, limits, start, new RunStopped(SandboxFailure.MODULE_TOO_LARGE,
                    "module missing or larger than " + config.maxModuleBytes() + " bytes"));
        }
        return run(SandboxModule.of(moduleBytes), limits, jsonInput);
    }

    /** Runs {@code module} with JSON {@code jsonInput} on stdin under {@code limits}. */
    public SandboxOutcome run(SandboxModule module, ResourceLimits limits, byte[] jsonInput) {
        return run(module, limits, jsonInput, config.egressDecorator());
    }

    /**
     * As {@link #run(SandboxModule, ResourceLimits, byte[])} with an egress decorator for this run
     * only (for example one that injects the calling agent's secrets), instead of the configured one.
     */
    public SandboxOutcome run(SandboxModule module, ResourceLimits limits, byte[] jsonInput, EgressDecorator egress) {
        long start = System.nanoTime();
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(limits, "limits");
        try {
            if (module.size() > config.maxModuleBytes()) {
                throw new RunStopped(SandboxFailure.MODULE_TOO_LARGE, "module larger than " + config.maxModuleBytes() + " bytes");
            }
            InputCheck.requireJson(jsonInput, config.maxInputBytes());
            boolean meter = limits.maxFuel() != null || config.meterUnlimitedRuns();
            boolean compile = config.mode() == ExecutionMode.COMPILED;
            String key = module.sha256() + (meter ? ":metered" : ":plain");
            LoadedModule loaded = cache.get(key, () -> ModuleLoader.load(module.bytes(), module.sha256(), meter, compile));
            return execute(loaded, limits, jsonInput, start, Objects.requireNonNull(egress, "egress"));
        } catch (RunStopped e) {
            return refused(module.sha256(), limits, start, e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return refused(module.sha256(), limits, start,
                    new RunStopped(SandboxFailure.INTERNAL, "host error: " + e.getClass().getSimpleName()));
        }
    }

    /**
     * The guard's entry: runs an allowed call's module with its signed arguments under its verified
     * limits; with {@code egressHandles}, the run's egress carries those secrets (resolved per
     * request for the calling agent) instead of the configured decorator.
     */
    @Override
    public SandboxResult run(SandboxModule module, Decision.Allow allow, SecretProxy secrets, Map<String, SecretHandle> egressHandles) {
        EgressDecorator egress = config.egressDecorator();
        if (!egressHandles.isEmpty()) {
            egress = SecretEgress.of(secrets, allow.message().sender(), egressHandles)::extraHeaders;
        }
        SandboxOutcome outcome = run(module, allow.capability().limits(), allow.message().body(), egress);
        AuditEvent.SandboxRun event = SandboxAudit.event(allow.message().sender().value(), outcome);
        if (outcome instanceof SandboxOutcome.Stopped s) {
            return new SandboxResult.Stopped(new SandboxStoppedException(s.reason().code(), s.reason().reasonCode(), s.detail()), event);
        }
        return new SandboxResult.Completed(((SandboxOutcome.Completed) outcome).stdout(), event);
    }

    /** Loads (misses) and reuses (hits) of the module cache so far. */
    public CacheStats cacheStats() {
        return new CacheStats(cache.loads(), cache.hits());
    }

    /** Module cache counters. */
    public record CacheStats(long loads, long hits) {}

    private SandboxOutcome execute(LoadedModule loaded, ResourceLimits limits, byte[] input, long start, EgressDecorator decorator) {
        int maxPages = maxPages(loaded, limits);
        Duration wall = wallTime(limits);
        Long fuelLimit = limits.maxFuel();
        if (loaded.initialPages() > maxPages) {
            SandboxRunReport report = new SandboxRunReport(loaded.sha256(), config.mode(), fuelLimit, null,
                    (long) maxPages * 65536, 0, wall, Duration.ofNanos(System.nanoTime() - start), null, null, 0, 0,
                    List.of(), List.of());
            return new SandboxOutcome.Stopped(SandboxFailure.MEMORY_LIMIT, "initial memory " + loaded.initialPages()
                    + " pages exceeds the cap of " + maxPages, new byte[0], report);
        }
        BoundedOutput stdout = new BoundedOutput(config.maxOutputBytes(), true);
        BoundedOutput stderr = new BoundedOutput(config.maxStderrBytes(), true);
        HttpEgress egress = new HttpEgress(config.httpClient(), limits, decorator,
                config.maxHttpRequests(), config.maxHttpResponseBytes(), start + wall.toNanos());
        GuestRun run;
        List<String> written = List.of();
        RunStopped stop;
        try (GuestFiles files = GuestFiles.stage(limits, config.maxFsBytes(), config.maxFsFiles())) {
            Map<String, Path> preopens = files.preopens();
            run = new GuestRun(loaded, maxPages, fuelLimit == null ? Long.MAX_VALUE : fuelLimit, input,
                    stdout, stderr, preopens, egress);
            long remainingMillis = wall.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis();
            try {
                run.execute(remainingMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunStopped(SandboxFailure.INTERNAL, "caller interrupted");
            }
            stop = run.stopReason();
            if (stop == null) {
                try {
                    written = files.writeBack();
                } catch (IOException e) {
                    stop = new RunStopped(SandboxFailure.INTERNAL, "write-back failed: " + e.getClass().getSimpleName());
                } catch (RunStopped e) {
                    stop = e;
                }
            }
        }
        SandboxRunReport report = new SandboxRunReport(loaded.sha256(), config.mode(), fuelLimit, run.fuelUsed(),
                (long) maxPages * 65536, run.peakMemoryBytes(), wall, Duration.ofNanos(System.nanoTime() - start),
                run.exitCode(), run.trap(), stdout.total(), stderr.total(), egress.contacted(), written);
        if (stop == null) {
            return new SandboxOutcome.Completed(stdout.bytes(), stderr.bytes(), report);
        }
        return new SandboxOutcome.Stopped(stop.failure(), stop.getMessage(), stderr.bytes(), report);
    }

    private int maxPages(LoadedModule loaded, ResourceLimits limits) {
        long pages = Math.min(loaded.declaredMaxPages(), config.defaultMemoryBytes() / 65536);
        if (limits.maxMemoryBytes() != null) {
            pages = Math.min(pages, limits.maxMemoryBytes() / 65536);
        }
        return (int) Math.min(pages, MemoryLimits.MAX_PAGES);
    }

    private Duration wallTime(ResourceLimits limits) {
        Duration d = config.defaultWallTime();
        if (limits.maxWallTime() != null && limits.maxWallTime().compareTo(d) < 0) {
            d = limits.maxWallTime();
        }
        return d;
    }

    private SandboxOutcome refused(String sha256, ResourceLimits limits, long start, RunStopped e) {
        Duration wall = limits == null ? config.defaultWallTime() : wallTime(limits);
        SandboxRunReport report = new SandboxRunReport(sha256, config.mode(), limits == null ? null : limits.maxFuel(),
                null, 0, 0, wall, Duration.ofNanos(System.nanoTime() - start), null, null, 0, 0, List.of(), List.of());
        return new SandboxOutcome.Stopped(e.failure(), e.getMessage(), new byte[0], report);
    }
}
