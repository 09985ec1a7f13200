package dev.moat.spring.boot;

import dev.moat.guard.GuardedCall;
import dev.moat.springai.GuardObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for guarded tool calls: {@code moat.decisions} counts calls by
 * {@code outcome} ({@code completed}, {@code denied}, {@code failed}), {@code stage} and
 * {@code reason} (the stable reason code of a denial, {@code none} otherwise), and
 * {@code moat.guard.duration} times {@code Guard.call} by outcome (the tool's own run included).
 * Tool names are not tags: the model chooses them, and a tag it chooses is unbounded cardinality.
 */
public final class MoatMetrics implements GuardObserver {
    /** Counter name. */
    public static final String DECISIONS = "moat.decisions";
    /** Timer name. */
    public static final String DURATION = "moat.guard.duration";

    private final MeterRegistry registry;

    public MoatMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void observed(String tool, GuardedCall<?> outcome, long nanos) {
        String kind;
        String stage = "none";
        String reason = "none";
        if (outcome instanceof GuardedCall.Denied<?> d) {
            kind = "denied";
            stage = d.decision().stage().code();
            reason = d.decision().code().code();
        } else if (outcome instanceof GuardedCall.Completed<?>) {
            kind = "completed";
        } else {
            kind = "failed";
            stage = "execution";
        }
        Counter.builder(DECISIONS).description("Moat decisions on tool calls")
                .tag("outcome", kind).tag("stage", stage).tag("reason", reason)
                .register(registry).increment();
        Timer.builder(DURATION).description("Time in Moat's guard per tool call, the tool's run included")
                .tag("outcome", kind).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
