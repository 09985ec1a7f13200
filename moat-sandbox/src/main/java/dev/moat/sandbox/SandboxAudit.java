package dev.moat.sandbox;

import dev.moat.audit.AuditEvent;

/** The audit record of one sandbox run: module hash, fuel, peak memory, duration, exit or trap. */
public final class SandboxAudit {
    private SandboxAudit() {}

    /** The {@link AuditEvent.SandboxRun} for {@code outcome}, attributed to {@code agent}. */
    public static AuditEvent.SandboxRun event(String agent, SandboxOutcome outcome) {
        SandboxRunReport r = outcome.report();
        String reason;
        if (outcome instanceof SandboxOutcome.Stopped s) {
            reason = s.reason().code() + (r.trap() == null ? "" : ": " + r.trap());
        } else {
            reason = "completed";
        }
        return new AuditEvent.SandboxRun(agent, r.moduleSha256(), r.fuelUsed(), r.peakMemoryBytes(),
                r.duration().toNanos() / 1000, r.exitCode(), reason);
    }
}
