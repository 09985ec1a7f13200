package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.token.ResourceLimits;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Legitimate skills give the same result and the same fuel through the interpreter and compiled code. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxLegitimateSkillsTest {
    // generous deadlines: these tests assert fuel and results, and the interpreter runs the loops
    // for seconds on a loaded 2-core machine (the 10 s default was hit under a load of 15)
    private static final Sandbox INTERPRETER = Sandbox.builder().mode(ExecutionMode.INTERPRETER).defaultWallTime(java.time.Duration.ofSeconds(60)).build();
    private static final Sandbox COMPILED = Sandbox.builder().mode(ExecutionMode.COMPILED).defaultWallTime(java.time.Duration.ofSeconds(60)).build();
    /** fib(20) + sum of the switch/indirect-call loop, then 7 - r, then + (-1) from the refused grow. */
    private static final long EXPECTED_CONTROL_FLOW = -607_659L;
    private static final byte[] ARGS = json("{\"name\":\"moat\",\"tags\":[\"a\",\"b\\\"c\"],\"n\":3}");

    private static SandboxOutcome.Completed completed(SandboxOutcome outcome) {
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        return (SandboxOutcome.Completed) outcome;
    }

    @Test
    void jsonTransformReturnsItsResult() {
        SandboxOutcome.Completed c = completed(COMPILED.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS));
        assertThat(text(c.stdout()))
                .isEqualTo("{\"result\":{\"NAME\":\"MOAT\",\"TAGS\":[\"A\",\"B\\\"C\"],\"N\":3},\"strings\":6}");
        assertThat(c.report().exitCode()).isZero();
        assertThat(c.report().moduleSha256()).isEqualTo(load("json_transform").sha256());
        assertThat(c.report().fuelLimit()).isNull();
        assertThat(c.report().fuelUsed()).isPositive();
        assertThat(c.report().peakMemoryBytes()).isPositive();
    }

    @Test
    void jsonTransformIsIdenticalInBothModes() {
        SandboxOutcome.Completed i = completed(INTERPRETER.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS));
        SandboxOutcome.Completed c = completed(COMPILED.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS));
        assertThat(c.stdout()).isEqualTo(i.stdout());
        assertThat(c.report().fuelUsed()).isEqualTo(i.report().fuelUsed());
        assertThat(c.report().peakMemoryBytes()).isEqualTo(i.report().peakMemoryBytes());
    }

    @Test
    void cpuLoopUsesTheSameFuelInBothModes() {
        SandboxOutcome.Completed i = completed(INTERPRETER.run(load("cpu_loop"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        SandboxOutcome.Completed c = completed(COMPILED.run(load("cpu_loop"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        assertThat(c.report().fuelUsed()).isEqualTo(i.report().fuelUsed());
        // 2,000,000 iterations of a 26-instruction loop body (the segment ends at br_if), plus
        // 2 before the loop (i64.const, local.set) and 2 after it (local.get, global.set);
        // loop and end markers are free.
        assertThat(c.report().fuelUsed()).isEqualTo(52_000_004L);
    }

    @Test
    void tightLoopUsesTheSameFuelInBothModes() {
        SandboxOutcome.Completed i = completed(INTERPRETER.run(load("tight_loop"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        SandboxOutcome.Completed c = completed(COMPILED.run(load("tight_loop"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        // 20,000,000 iterations of 8 instructions, plus local.get and global.set after the loop
        assertThat(c.report().fuelUsed()).isEqualTo(160_000_002L).isEqualTo(i.report().fuelUsed());
    }

    @Test
    void controlFlowSurvivesInstrumentationInBothModes() {
        SandboxOutcome.Completed i = completed(INTERPRETER.run(load("control_flow"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        SandboxOutcome.Completed c = completed(COMPILED.run(load("control_flow"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        long result = java.nio.ByteBuffer.wrap(c.stdout()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(result).isEqualTo(EXPECTED_CONTROL_FLOW);
        assertThat(i.stdout()).isEqualTo(c.stdout());
        assertThat(c.report().fuelUsed()).isEqualTo(i.report().fuelUsed());
        // one page granted by memory.grow, the request for ten more refused inside the guest
        assertThat(c.report().peakMemoryBytes()).isEqualTo(2 * 65536L);
        assertThat(c.report().memoryLimitBytes()).isEqualTo(4 * 65536L);
    }

    @Test
    void aBudgetOfExactlyTheFuelUsedIsEnoughAndOneLessIsNot() {
        long used = completed(COMPILED.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS))
                .report().fuelUsed();
        for (Sandbox sandbox : new Sandbox[] {INTERPRETER, COMPILED}) {
            SandboxOutcome exact = sandbox.run(load("json_transform"), ResourceLimits.builder().maxFuel(used).build(), ARGS);
            assertThat(completed(exact).report().fuelUsed()).isEqualTo(used);
            SandboxOutcome less = sandbox.run(load("json_transform"), ResourceLimits.builder().maxFuel(used - 1).build(), ARGS);
            assertThat(less).isInstanceOf(SandboxOutcome.Stopped.class);
            assertThat(((SandboxOutcome.Stopped) less).reason()).isEqualTo(SandboxFailure.FUEL_EXHAUSTED);
        }
    }

    @Test
    void zeroFuelIsAZeroBudgetNotUnlimited() {
        SandboxOutcome outcome = COMPILED.run(load("json_transform"), ResourceLimits.builder().maxFuel(0L).build(), ARGS);
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.FUEL_EXHAUSTED);
    }

    @Test
    void unmeteredRunsReportNoFuel() {
        Sandbox plain = Sandbox.builder().meterUnlimitedRuns(false).build();
        SandboxOutcome.Completed c = completed(plain.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, ARGS));
        assertThat(c.report().fuelUsed()).isNull();
        SandboxOutcome.Completed metered = completed(plain.run(load("json_transform"),
                ResourceLimits.builder().maxFuel(10_000_000L).build(), ARGS));
        assertThat(metered.report().fuelUsed()).isPositive();
        assertThat(metered.stdout()).isEqualTo(c.stdout());
    }

    @Test
    void inputThatIsNotJsonIsRefused() {
        SandboxOutcome outcome = COMPILED.run(load("json_transform"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{\"a\":"));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.INVALID_INPUT);
    }

    @Test
    void theGuestSeesNoClockNoArgumentsAndNoEnvironment() {
        SandboxOutcome.Completed c = completed(COMPILED.run(load("environment_probe"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO, json("{}")));
        assertThat(c.stdout()).hasSize(32).containsOnly((byte) 0);
        assertThat(c.report().egressHosts()).isEmpty();
        assertThat(c.report().filesWritten()).isEmpty();
    }
}
