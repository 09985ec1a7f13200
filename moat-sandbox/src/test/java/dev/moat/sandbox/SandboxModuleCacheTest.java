package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.guard.SandboxModule;
import dev.moat.token.ResourceLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One compile per module hash, safe under concurrency; invalid bytes give typed refusals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxModuleCacheTest {
    private static final byte[] ARGS = json("{\"k\":\"v\"}");

    @Test
    void concurrentCallsCompileOnceAndAgree() throws Exception {
        Sandbox sandbox = Sandbox.builder().build();
        SandboxModule module = load("json_transform");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<SandboxOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> sandbox.run(module, ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS));
            }
            List<byte[]> outputs = new ArrayList<>();
            List<Long> fuel = new ArrayList<>();
            for (Future<SandboxOutcome> f : pool.invokeAll(calls)) {
                SandboxOutcome.Completed c = (SandboxOutcome.Completed) f.get();
                outputs.add(c.stdout());
                fuel.add(c.report().fuelUsed());
            }
            assertThat(outputs).allSatisfy(o -> assertThat(o).isEqualTo(outputs.get(0)));
            assertThat(fuel).containsOnly(fuel.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(sandbox.cacheStats().loads()).isEqualTo(1);
        assertThat(sandbox.cacheStats().hits()).isEqualTo(31);
    }

    @Test
    void instancesDoNotShareState() {
        Sandbox sandbox = Sandbox.builder().build();
        SandboxOutcome first = sandbox.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("\"a\""));
        SandboxOutcome second = sandbox.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("\"b\""));
        assertThat(new String(((SandboxOutcome.Completed) second).stdout(), StandardCharsets.UTF_8))
                .isEqualTo("{\"result\":\"B\",\"strings\":1}");
        assertThat(first.report().peakMemoryBytes()).isEqualTo(second.report().peakMemoryBytes());
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void garbageBytesAreAnInvalidModule(ExecutionMode mode) {
        Sandbox sandbox = Sandbox.builder().mode(mode).build();
        byte[] garbage = "not wasm at all".getBytes(StandardCharsets.UTF_8);
        SandboxOutcome outcome = sandbox.run(garbage, ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS);
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.INVALID_MODULE);
    }

    @Test
    void truncatedAndCorruptedModulesAreTypedRefusals() {
        Sandbox sandbox = Sandbox.builder().mode(ExecutionMode.INTERPRETER).build();
        byte[] good = load("json_transform").bytes();
        Random random = new Random(42);
        for (int i = 0; i < 80; i++) {
            byte[] bad = i % 2 == 0 ? Arrays.copyOf(good, random.nextInt(good.length)) : good.clone();
            if (i % 2 == 1) {
                for (int j = 0; j < 4; j++) {
                    bad[8 + random.nextInt(bad.length - 8)] = (byte) random.nextInt(256);
                }
            }
            SandboxOutcome outcome = sandbox.run(bad, ResourceLimits.builder().maxFuel(5_000_000L).build(), ARGS);
            assertThat(outcome).isNotNull();
            if (outcome instanceof SandboxOutcome.Stopped s) {
                assertThat(s.reason()).as(s.detail()).isNotEqualTo(SandboxFailure.INTERNAL);
            }
        }
    }

    @Test
    void aModuleOverTheSizeCapIsRefusedBeforeParsing() {
        Sandbox sandbox = Sandbox.builder().maxModuleBytes(1024).build();
        SandboxOutcome outcome = sandbox.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS);
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.MODULE_TOO_LARGE);
        assertThat(sandbox.cacheStats().loads()).isZero();
        SandboxOutcome fromBytes = sandbox.run(load("json_transform").bytes(), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS);
        assertThat(((SandboxOutcome.Stopped) fromBytes).reason()).isEqualTo(SandboxFailure.MODULE_TOO_LARGE);
        assertThat(fromBytes.report().moduleSha256()).isEqualTo(load("json_transform").sha256());
    }

    @Test
    void aModuleWithoutStartIsInvalid() {
        // (module (memory 1)) : magic, version, memory section
        byte[] noStart = {0, 'a', 's', 'm', 1, 0, 0, 0, 5, 3, 1, 0, 1};
        SandboxOutcome outcome = Sandbox.builder().build().run(noStart, ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS);
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.INVALID_MODULE);
    }

    @Test
    void anUnknownImportIsInvalid() {
        // (module (import "env" "f" (func)) (func (export "_start")))
        byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0,
            1, 4, 1, 0x60, 0, 0,                         // type: () -> ()
            2, 9, 1, 3, 'e', 'n', 'v', 1, 'f', 0, 0,     // import env.f
            3, 2, 1, 0,                                  // function 1 : type 0
            7, 10, 1, 6, '_', 's', 't', 'a', 'r', 't', 0, 1, // export _start = func 1
            10, 4, 1, 2, 0, 0x0B};                       // code: empty body
        SandboxOutcome outcome = Sandbox.builder().build().run(module, ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS);
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.INVALID_MODULE);
    }
}
