package dev.moat.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one run consumed and how it ended, for the audit log. Nothing here comes from the guest
 * except counts and the exit code.
 *
 * @param moduleSha256 lowercase hex SHA-256 of the module bytes as given (before instrumentation)
 * @param mode how the code ran
 * @param fuelLimit the fuel budget, {@code null} for none (never zero for "none")
 * @param fuelUsed fuel consumed, {@code null} when the run was not metered or never started
 * @param memoryLimitBytes the effective linear-memory cap (min of module, token, sandbox)
 * @param peakMemoryBytes the largest linear memory the guest reached
 * @param wallTimeLimit the effective deadline
 * @param duration wall-clock time from start of instantiation to the end of the run
 * @param exitCode the {@code proc_exit} code (0 when {@code _start} returned), {@code null} if it never exited
 * @param trap a short description of the trap, {@code null} if none
 * @param stdoutBytes bytes the guest wrote to stdout (kept up to the cap)
 * @param stderrBytes bytes the guest wrote to stderr
 * @param egressHosts hosts the guest reached through the HTTP host function, in call order
 * @param filesWritten host paths written back from read-write grants
 */
public record SandboxRunReport(
        String moduleSha256,
        ExecutionMode mode,
        Long fuelLimit,
        Long fuelUsed,
        long memoryLimitBytes,
        long peakMemoryBytes,
        Duration wallTimeLimit,
        Duration duration,
        Integer exitCode,
        String trap,
        long stdoutBytes,
        long stderrBytes,
        List<String> egressHosts,
        List<String> filesWritten) {

    public SandboxRunReport {
        Objects.requireNonNull(moduleSha256, "moduleSha256");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wallTimeLimit, "wallTimeLimit");
        Objects.requireNonNull(duration, "duration");
        egressHosts = List.copyOf(egressHosts);
        filesWritten = List.copyOf(filesWritten);
    }
}
