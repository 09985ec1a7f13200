package dev.moat.spring.boot;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.GuardEvent;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.monitor.MonitorAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for every call the auto-configured {@code Moat}'s guard decides, fed by core's
 * {@link DecisionObserver} (the same events moat-opentelemetry turns into spans):
 * {@code moat.decisions} counts decisions by {@code outcome} ({@code allowed}, {@code denied},
 * {@code would_deny}), {@code stage} and {@code reason} (the stable reason code, {@code none} for an
 * allow); {@code moat.guard.duration} times the guard's decision by outcome; {@code moat.monitor.alerts}
 * and {@code moat.sandbox.stops} count monitor alerts and sandbox stops. Tool names and resources are
 * not tags: the model chooses them, and a tag it chooses is unbounded cardinality.
 */
public final class MoatMetrics implements DecisionObserver {
    /** Counter name. */
    public static final String DECISIONS = "moat.decisions";
    /** Timer name. */
    public static final String DURATION = "moat.guard.duration";
    /** Counter name. */
    public static final String MONITOR_ALERTS = "moat.monitor.alerts";
    /** Counter name. */
    public static final String SANDBOX_STOPS = "moat.sandbox.stops";

    private final MeterRegistry registry;

    public MoatMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onDecision(GuardEvent event) {
        String outcome = event.outcome().code();
        Counter.builder(DECISIONS).description("Moat decisions on tool calls")
                .tag("outcome", outcome)
                .tag("stage", event.stage() == null ? "none" : event.stage().code())
                .tag("reason", event.reasonCode() == null ? "none" : event.reasonCode().code())
                .register(registry).increment();
        Timer.builder(DURATION).description("Time Moat's guard takes to decide on a tool call")
                .tag("outcome", outcome).register(registry).record(event.durationNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onMonitorAlert(MonitorAlert alert) {
        Counter.builder(MONITOR_ALERTS).description("Moat runtime monitor alerts").register(registry).increment();
    }

    @Override
    public void onSandboxStop(String agent, SandboxStoppedException stop) {
        Counter.builder(SANDBOX_STOPS).description("WebAssembly tools stopped by Moat's sandbox").register(registry).increment();
    }
}
