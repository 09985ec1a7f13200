package dev.moat.mcp;

import dev.moat.audit.AuditEvent;
import dev.moat.guard.Guard;
import java.util.function.Consumer;

/** Audits how an allowed {@code tools/call} ended, once its answer (or its failure) is known. */
final class Outcomes {
    private final Guard guard;
    private final Consumer<String> log;

    Outcomes(Guard guard, Consumer<String> log) {
        this.guard = guard;
        this.log = log;
    }

    /** Records the outcome when {@code p} is a tool call; other requests have none. */
    void record(Pending p, AuditEvent.ToolOutcome.Status status, byte[] result, String error) {
        if (p instanceof Pending.ToolCall call) {
            try {
                guard.recordOutcome(call.allow(), status, result, error, (System.nanoTime() - call.startNanos()) / 1000);
            } catch (RuntimeException e) {
                // the call has run; its decision is audited already: report, do not stop the session
                log.accept("could not audit a tool outcome: " + e.getClass().getSimpleName());
            }
        }
    }
}
