package dev.moat.bench;

import dev.moat.guard.SandboxModule;
import dev.moat.sandbox.ExecutionMode;
import dev.moat.sandbox.Sandbox;
import dev.moat.sandbox.SandboxOutcome;
import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-call cost of a sandboxed skill with its module cached: interpreter, compiled (the
 * baseline: no fuel checks), compiled with fuel metering; plus cold start (validate, instrument,
 * compile, run) of a module a fresh sandbox has never seen. Run from the repository root (the
 * skills are read from {@code samples/skills/wasm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class SandboxBenchmark {
    private static final ResourceLimits NO_FUEL_LIMIT = ResourceLimits.UNLIMITED_COMPUTE_NO_IO;
    private static final ResourceLimits FUEL_LIMIT = ResourceLimits.builder().maxFuel(1_000_000_000L).build();

    @Param({"json_transform", "cpu_loop", "tight_loop"})
    public String skill;

    private SandboxModule module;
    private byte[] input;
    private Sandbox interpreter;
    private Sandbox compiled;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        module = SandboxModule.of(Files.readAllBytes(skills().resolve(skill + ".wasm")));
        input = "{\"name\":\"moat\",\"tags\":[\"a\",\"b\",\"c\"],\"nested\":{\"k\":\"value\",\"n\":42}}"
                .getBytes(StandardCharsets.UTF_8);
        // Unmetered unless the token sets a fuel limit, so "compiled" is the plain baseline.
        interpreter = Sandbox.builder().mode(ExecutionMode.INTERPRETER).meterUnlimitedRuns(false).build();
        compiled = Sandbox.builder().mode(ExecutionMode.COMPILED).meterUnlimitedRuns(false).build();
        for (Sandbox s : new Sandbox[] {interpreter, compiled}) {
            check(s.run(module, NO_FUEL_LIMIT, input));
            check(s.run(module, FUEL_LIMIT, input));
        }
    }

    @Benchmark
    public SandboxOutcome interpreter() {
        return check(interpreter.run(module, NO_FUEL_LIMIT, input));
    }

    @Benchmark
    public SandboxOutcome interpreterWithFuel() {
        return check(interpreter.run(module, FUEL_LIMIT, input));
    }

    @Benchmark
    public SandboxOutcome baselineCompiled() {
        return check(compiled.run(module, NO_FUEL_LIMIT, input));
    }

    @Benchmark
    public SandboxOutcome compiledWithFuel() {
        return check(compiled.run(module, FUEL_LIMIT, input));
    }

    /** A fresh sandbox: parse, validate, instrument, compile to bytecode, then run once. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SandboxOutcome coldStartCompiledWithFuel() {
        return check(Sandbox.builder().build().run(module, FUEL_LIMIT, input));
    }

    private static SandboxOutcome check(SandboxOutcome outcome) {
        if (!(outcome instanceof SandboxOutcome.Completed)) {
            throw new IllegalStateException("skill did not complete: " + outcome);
        }
        return outcome;
    }

    private static Path skills() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("samples/skills/wasm");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the repository: samples/skills/wasm not found");
    }
}
