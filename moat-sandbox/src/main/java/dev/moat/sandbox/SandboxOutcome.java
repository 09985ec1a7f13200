package dev.moat.sandbox;

import java.util.Objects;

/**
 * The result of one sandboxed run: the tool's stdout, or the typed reason it was stopped. Both
 * carry the {@link SandboxRunReport} that the caller audits. Stdout and stderr are bounded by the
 * sandbox's caps; byte arrays are copied in and out.
 */
public sealed interface SandboxOutcome {

    /** What the run consumed; always present, also for modules refused before running. */
    SandboxRunReport report();

    /** The guest exited with status 0 (returned from {@code _start} or {@code proc_exit(0)}). */
    record Completed(byte[] stdout, byte[] stderr, SandboxRunReport report) implements SandboxOutcome {
        public Completed {
            stdout = stdout.clone();
            stderr = stderr.clone();
            Objects.requireNonNull(report, "report");
        }

        @Override
        public byte[] stdout() {
            return stdout.clone();
        }

        @Override
        public byte[] stderr() {
            return stderr.clone();
        }
    }

    /** The run was refused or stopped; {@code detail} is for humans and logs, not for matching. */
    record Stopped(SandboxFailure reason, String detail, byte[] stderr, SandboxRunReport report)
            implements SandboxOutcome {
        public Stopped {
            Objects.requireNonNull(reason, "reason");
            detail = detail == null ? "" : detail;
            stderr = stderr == null ? new byte[0] : stderr.clone();
            Objects.requireNonNull(report, "report");
        }

        @Override
        public byte[] stderr() {
            return stderr.clone();
        }
    }
}
