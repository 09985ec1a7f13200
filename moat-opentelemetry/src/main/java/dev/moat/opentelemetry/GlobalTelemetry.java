package dev.moat.opentelemetry;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.GuardEvent;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.monitor.MonitorAlert;
import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * {@link MoatTelemetry} on {@link GlobalOpenTelemetry}, bound at the first event after the
 * application (or the OpenTelemetry Java agent) has set the global: until then events are dropped,
 * and Moat never calls {@link GlobalOpenTelemetry#get()} first, which would fix the global to a
 * no-op and make the application's own {@code set} fail.
 */
final class GlobalTelemetry implements DecisionObserver {
    private volatile MoatTelemetry bound;

    private MoatTelemetry bound() {
        MoatTelemetry t = bound;
        if (t == null && GlobalOpenTelemetry.isSet()) {
            synchronized (this) {
                if (bound == null) {
                    bound = MoatTelemetry.create(GlobalOpenTelemetry.get());
                }
                t = bound;
            }
        }
        return t;
    }

    @Override
    public void onDecision(GuardEvent event) {
        MoatTelemetry t = bound();
        if (t != null) {
            t.onDecision(event);
        }
    }

    @Override
    public void onMonitorAlert(MonitorAlert alert) {
        MoatTelemetry t = bound();
        if (t != null) {
            t.onMonitorAlert(alert);
        }
    }

    @Override
    public void onSandboxStop(String agent, SandboxStoppedException stop) {
        MoatTelemetry t = bound();
        if (t != null) {
            t.onSandboxStop(agent, stop);
        }
    }
}
