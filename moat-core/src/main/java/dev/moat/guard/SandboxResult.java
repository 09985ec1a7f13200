package dev.moat.guard;

import dev.moat.audit.AuditEvent;
import java.util.Objects;

/**
 * What one sandboxed run gives the {@link Guard}: the guest's stdout, or why it was stopped; both
 * carry the {@code sandbox_run} audit record (module hash, fuel, peak memory, duration, exit or
 * trap) that the guard appends.
 */
public sealed interface SandboxResult {

    /** The audit record of the run, attributed to the calling agent. */
    AuditEvent.SandboxRun audit();

    /** The guest exited with status 0; {@code stdout} is its (bounded) output, copied in and out. */
    record Completed(byte[] stdout, AuditEvent.SandboxRun audit) implements SandboxResult {
        public Completed {
            stdout = stdout.clone();
            Objects.requireNonNull(audit, "audit");
        }

        @Override
        public byte[] stdout() {
            return stdout.clone();
        }
    }

    /** The sandbox refused or stopped the run. */
    record Stopped(SandboxStoppedException reason, AuditEvent.SandboxRun audit) implements SandboxResult {
        public Stopped {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(audit, "audit");
        }
    }
}
