package dev.moat.guard;

import dev.moat.monitor.MonitorAlert;

/**
 * Observes what a {@link Guard} decides, for metrics, tracing and the application's own logs
 * ({@code Moat.Builder.observer}, or {@code MoatPolicy}-started runtimes through the same builder).
 * It is told, never asked: it runs after the decision is final and cannot change it. Whatever it
 * throws is caught and counted ({@link Guard#observerFailures()}); a denial stays a denial and the
 * call path carries on. It runs on the calling thread, so it must be quick.
 *
 * <p>Unlike the PEP's {@link dev.moat.pep.DecisionListener} (the audit log, which fails the call
 * when it cannot record), an observer is not on the security path.
 */
@FunctionalInterface
public interface DecisionObserver {

    /** A guarded call's final decision: one event per call, after the call's own check. */
    void onDecision(GuardEvent event);

    /** The runtime monitor raised an alert (blocking or not); called before {@link #onDecision}. */
    default void onMonitorAlert(MonitorAlert alert) {}

    /** The sandbox stopped a WebAssembly tool ({@code agent} called it). */
    default void onSandboxStop(String agent, SandboxStoppedException stop) {}
}
