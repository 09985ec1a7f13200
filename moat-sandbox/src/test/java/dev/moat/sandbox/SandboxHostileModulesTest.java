package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.guard.SandboxModule;
import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every hostile sample is stopped with its typed reason, in both execution modes, host untouched. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxHostileModulesTest {
    private static final byte[] INPUT = json("{}");

    @TempDir
    Path tmp;

    private static Sandbox sandbox(ExecutionMode mode) {
        return Sandbox.builder().mode(mode).defaultWallTime(Duration.ofSeconds(5))
                .defaultMemoryBytes(16L * 1024 * 1024).maxOutputBytes(64 * 1024).build();
    }

    private static SandboxOutcome.Stopped stopped(SandboxOutcome outcome) {
        assertThat(outcome).isInstanceOf(SandboxOutcome.Stopped.class);
        return (SandboxOutcome.Stopped) outcome;
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void infiniteLoopRunsOutOfFuel(ExecutionMode mode) {
        ResourceLimits limits = ResourceLimits.builder().maxFuel(1_000_000L).build();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("infinite_loop"), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.FUEL_EXHAUSTED);
        assertThat(s.report().fuelUsed()).isEqualTo(1_000_000L);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void infiniteLoopWithoutFuelLimitHitsTheDeadline(ExecutionMode mode) {
        ResourceLimits limits = ResourceLimits.builder().maxWallTime(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("infinite_loop"), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.DEADLINE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(s.report().fuelUsed()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void loopInTheStartFunctionIsMeteredToo(ExecutionMode mode) {
        ResourceLimits limits = ResourceLimits.builder().maxFuel(100_000L).build();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("start_loop"), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.FUEL_EXHAUSTED);
        assertThat(s.report().fuelUsed()).isEqualTo(100_000L);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void loopInTheStartFunctionHitsTheDeadline(ExecutionMode mode) {
        ResourceLimits limits = ResourceLimits.builder().maxWallTime(Duration.ofMillis(300)).build();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("start_loop"), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.DEADLINE);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void unboundedRecursionTraps(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("stack_bomb"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.TRAP);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void tableBombIsCappedInsideTheGuest(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("table_bomb"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        // table.grow past the sandbox's 65,536-entry cap returns -1; the guest then traps
        assertThat(s.reason()).isEqualTo(SandboxFailure.TRAP);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void memoryBombIsStoppedAtTheCap(ExecutionMode mode) {
        ResourceLimits limits = ResourceLimits.builder().maxMemoryBytes(4L * 1024 * 1024).build();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("memory_bomb"), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.MEMORY_LIMIT);
        assertThat(s.report().memoryLimitBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(s.report().peakMemoryBytes()).isLessThanOrEqualTo(4L * 1024 * 1024);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void mallocBombIsStoppedByTheSandboxDefaultCap(ExecutionMode mode) {
        // a generous deadline: the interpreter on a loaded 2-core machine must reach the memory cap first
        SandboxOutcome.Stopped s = stopped(Sandbox.builder().mode(mode).defaultWallTime(Duration.ofSeconds(60))
                .defaultMemoryBytes(16L * 1024 * 1024).maxOutputBytes(64 * 1024).build()
                .run(load("memory_bomb_malloc"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.MEMORY_LIMIT);
        assertThat(s.report().peakMemoryBytes()).isLessThanOrEqualTo(16L * 1024 * 1024);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void oversizedInitialMemoryIsRefusedBeforeRunning(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("oversized_memory"),
                ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.MEMORY_LIMIT);
        assertThat(s.report().fuelUsed()).isNull();
        assertThat(s.report().peakMemoryBytes()).isZero();
        assertThat(s.report().memoryLimitBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void outputFloodIsCut(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("output_flood"),
                ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.OUTPUT_LIMIT);
        assertThat(s.report().stdoutBytes()).isGreaterThan(64 * 1024);
    }

    /**
     * The attack: one fd_write to stderr with 500,000 buffers of 64 KiB. Stderr's cap stops the run
     * (it used to drop the excess and keep the guest thread burning CPU for hours after the
     * deadline), and the guest thread is gone when the run returns.
     */
    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void stderrFloodInOneHostCallStopsTheRunAndItsThread(ExecutionMode mode) throws Exception {
        SandboxModule flood = load("stderr_flood");
        long start = System.nanoTime();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(flood,
                ResourceLimits.builder().maxWallTime(Duration.ofSeconds(5)).build(), INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.OUTPUT_LIMIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        String prefix = "moat-sandbox-" + flood.sha256().substring(0, 12);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
    }

    /** A valid module defining {@code n} empty functions of type () -> (), the first exported as _start. */
    private static byte[] manyFunctions(int n) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(out, 1, new byte[] {1, 0x60, 0, 0});
        java.io.ByteArrayOutputStream funcs = new java.io.ByteArrayOutputStream();
        leb(funcs, n);
        funcs.writeBytes(new byte[n]);
        section(out, 3, funcs.toByteArray());
        section(out, 7, new byte[] {1, 6, '_', 's', 't', 'a', 'r', 't', 0, 0});
        java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
        leb(code, n);
        for (int i = 0; i < n; i++) {
            code.writeBytes(new byte[] {2, 0, 0x0b});
        }
        section(out, 10, code.toByteArray());
        return out.toByteArray();
    }

    private static void section(java.io.ByteArrayOutputStream out, int id, byte[] body) {
        out.write(id);
        leb(out, body.length);
        out.writeBytes(body);
    }

    private static void leb(java.io.ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    /** The attack: a module of 200,000 functions kept the caller's thread compiling for 20 s. Refused before compiling. */
    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void tooManyFunctionsAreRefusedBeforeCompilation(ExecutionMode mode) {
        long start = System.nanoTime();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(SandboxModule.of(manyFunctions(200_000)),
                ResourceLimits.builder().maxWallTime(Duration.ofSeconds(1)).build(), INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.INVALID_MODULE);
        assertThat(s.detail()).contains("200000 functions");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(sandbox(mode).run(SandboxModule.of(manyFunctions(100)), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT))
                .isInstanceOf(SandboxOutcome.Completed.class);
    }

    @Test
    void anInterruptedHostWriteStopsTheRun() {
        var out = new dev.moat.sandbox.internal.BoundedOutput(1 << 20, true);
        Thread.currentThread().interrupt();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> out.write(new byte[10], 0, 10))
                    .isInstanceOfSatisfying(dev.moat.sandbox.internal.RunStopped.class,
                            e -> assertThat(e.failure()).isEqualTo(SandboxFailure.DEADLINE));
        } finally {
            Thread.interrupted();
        }
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void trapIsReported(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("trap"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.TRAP);
        assertThat(s.report().trap()).isNotNull();
        assertThat(s.report().exitCode()).isNull();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void nonZeroExitIsReported(ExecutionMode mode) {
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load("exit_nonzero"),
                ResourceLimits.UNLIMITED_COMPUTE_NO_IO, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.EXIT_NONZERO);
        assertThat(s.report().exitCode()).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void absolutePathIsDenied(ExecutionMode mode) throws IOException {
        assertDeniedWithGrant(mode, "escape_absolute");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void dotDotPathIsDenied(ExecutionMode mode) throws IOException {
        assertDeniedWithGrant(mode, "escape_dotdot");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void symlinkCreationIsDenied(ExecutionMode mode) throws IOException {
        assertDeniedWithGrant(mode, "escape_symlink");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void escapesThroughLibcFindNothing(ExecutionMode mode) throws IOException {
        Path grant = Files.createDirectories(tmp.resolve("work"));
        ResourceLimits limits = ResourceLimits.builder().readPaths(List.of(grant.toString())).build();
        SandboxOutcome outcome = sandbox(mode).run(load("escape_libc"), limits, INPUT);
        // wasi-libc refuses paths outside preopens itself (the host never sees them); the skill
        // reports failure through its exit code, and nothing was read.
        SandboxOutcome.Stopped s = stopped(outcome);
        assertThat(s.reason()).isIn(SandboxFailure.EXIT_NONZERO, SandboxFailure.IO_DENIED);
        assertThat(s.report().stdoutBytes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void preexistingHostSymlinkIsNotCopied(ExecutionMode mode) throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP SECRET");
        Path grant = Files.createDirectories(tmp.resolve("granted"));
        Files.createSymbolicLink(grant.resolve("link"), secret);
        ResourceLimits limits = ResourceLimits.builder().writePaths(List.of(grant.toString())).build();
        SandboxOutcome outcome = sandbox(mode).run(load("escape_prelinked"), limits, INPUT);
        SandboxOutcome.Stopped s = stopped(outcome);
        assertThat(s.reason()).isEqualTo(SandboxFailure.EXIT_NONZERO); // ENOENT from path_open
        assertThat(s.report().stdoutBytes()).isZero();
        assertThat(Files.readString(secret)).isEqualTo("TOP SECRET");
        assertThat(Files.isSymbolicLink(grant.resolve("link"))).isTrue();
    }

    private void assertDeniedWithGrant(ExecutionMode mode, String skill) throws IOException {
        Path secret = Files.writeString(tmp.resolve("outside.txt"), "outside", StandardCharsets.UTF_8);
        Path grant = Files.createDirectories(tmp.resolve("a/b/c/d/e/f/g/h/grant"));
        ResourceLimits limits = ResourceLimits.builder().writePaths(List.of(grant.toString())).build();
        SandboxOutcome.Stopped s = stopped(sandbox(mode).run(load(skill), limits, INPUT));
        assertThat(s.reason()).isEqualTo(SandboxFailure.IO_DENIED);
        assertThat(s.report().filesWritten()).isEmpty();
        try (var listing = Files.list(grant)) {
            assertThat(listing).isEmpty();
        }
        assertThat(Files.readString(secret)).isEqualTo("outside");
    }
}
