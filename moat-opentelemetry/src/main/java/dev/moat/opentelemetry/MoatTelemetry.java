package dev.moat.opentelemetry;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.GuardEvent;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.monitor.MonitorAlert;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Moat's guarded calls as OpenTelemetry spans and metrics, as a {@link DecisionObserver}
 * ({@code Moat.builder().observer(MoatTelemetry.create(openTelemetry))}; policy-started runtimes
 * get one on {@link io.opentelemetry.api.GlobalOpenTelemetry} through {@link TelemetryProvider}).
 *
 * <p>A span per guarded call, {@code moat.guard <tool>} (kind INTERNAL, covering the guard's
 * decision: signing, PEP, monitor, the call's own check; a child of the span current on the calling
 * thread, such as the framework's {@code execute_tool} span), with the GenAI attributes that fit:
 * {@code gen_ai.operation.name = execute_tool} and {@code gen_ai.tool.name} (the resource without
 * its {@code tool://} scheme), plus {@code moat.agent}, {@code moat.resource}, {@code moat.action},
 * {@code moat.outcome} ({@code allowed}, {@code denied}, {@code would_deny}), and for a denial or a
 * would-deny {@code moat.stage}, {@code moat.reason_code} and {@code moat.message_id}. A denial
 * sets the span's status to ERROR with {@code error.type} = the reason code. Never the call's
 * arguments, the decision's detail (which may name policy values) or any secret.
 *
 * <p>Metrics (meter {@code dev.moat}): {@code moat.guard.decisions} (counter, by
 * {@code moat.outcome}, {@code moat.stage}, {@code moat.reason_code}), {@code moat.guard.duration}
 * (histogram in seconds, by {@code moat.outcome}), {@code moat.monitor.alerts} (counter, by
 * {@code moat.monitor.rule} and {@code moat.monitor.action}), {@code moat.sandbox.stops} (counter,
 * by {@code moat.sandbox.stop} and {@code moat.reason_code}). Metric attributes are low-cardinality:
 * no agent, resource or message id.
 */
public final class MoatTelemetry implements DecisionObserver {
    /** The instrumentation scope name of the tracer and the meter. */
    public static final String SCOPE = "dev.moat";

    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> AGENT = AttributeKey.stringKey("moat.agent");
    static final AttributeKey<String> RESOURCE = AttributeKey.stringKey("moat.resource");
    static final AttributeKey<String> ACTION = AttributeKey.stringKey("moat.action");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("moat.outcome");
    static final AttributeKey<String> STAGE = AttributeKey.stringKey("moat.stage");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("moat.reason_code");
    static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("moat.message_id");
    static final AttributeKey<String> RULE = AttributeKey.stringKey("moat.monitor.rule");
    static final AttributeKey<String> MONITOR_ACTION = AttributeKey.stringKey("moat.monitor.action");
    static final AttributeKey<String> SANDBOX_STOP = AttributeKey.stringKey("moat.sandbox.stop");
    /** Explicit bucket boundaries for the guard latency, in seconds: 50 µs to 1 s. */
    static final List<Double> LATENCY_BUCKETS = List.of(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
            0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0);

    private final Tracer tracer;
    private final LongCounter decisions;
    private final DoubleHistogram duration;
    private final LongCounter alerts;
    private final LongCounter stops;

    private MoatTelemetry(OpenTelemetry otel) {
        this.tracer = otel.getTracer(SCOPE);
        Meter meter = otel.getMeter(SCOPE);
        this.decisions = meter.counterBuilder("moat.guard.decisions").setUnit("{decision}")
                .setDescription("Guarded tool-call decisions, by outcome, stage and reason code").build();
        this.duration = meter.histogramBuilder("moat.guard.duration").setUnit("s")
                .setDescription("How long the guard took to decide a tool call")
                .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS).build();
        this.alerts = meter.counterBuilder("moat.monitor.alerts").setUnit("{alert}")
                .setDescription("Runtime monitor alerts, by rule and action").build();
        this.stops = meter.counterBuilder("moat.sandbox.stops").setUnit("{stop}")
                .setDescription("WebAssembly tool runs the sandbox stopped, by stop code").build();
    }

    /** An observer that reports to {@code openTelemetry}'s tracer and meter. */
    public static MoatTelemetry create(OpenTelemetry openTelemetry) {
        return new MoatTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    @Override
    public void onDecision(GuardEvent e) {
        String tool = toolName(e.resource());
        Instant end = Instant.now();
        Span span = tracer.spanBuilder("moat.guard " + tool)
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(end.minusNanos(e.durationNanos()))
                .setAttribute(OPERATION, "execute_tool")
                .setAttribute(TOOL, tool)
                .startSpan();
        span.setAttribute(AGENT, String.valueOf(e.agent()));
        span.setAttribute(RESOURCE, String.valueOf(e.resource()));
        span.setAttribute(ACTION, String.valueOf(e.action()));
        span.setAttribute(OUTCOME, e.outcome().code());
        if (e.messageId() != null) {
            span.setAttribute(MESSAGE, e.messageId());
        }
        AttributesBuilder counted = Attributes.builder().put(OUTCOME, e.outcome().code());
        if (e.stage() != null) {
            span.setAttribute(STAGE, e.stage().code());
            span.setAttribute(REASON, e.reasonCode().code());
            counted.put(STAGE, e.stage().code()).put(REASON, e.reasonCode().code());
        }
        if (e.outcome() == GuardEvent.Outcome.DENIED) {
            span.setAttribute(ERROR_TYPE, e.reasonCode().code());
            span.setStatus(StatusCode.ERROR, "denied at " + e.stage().code() + ": " + e.reasonCode().code());
        }
        span.end(end);
        decisions.add(1, counted.build());
        duration.record(e.durationNanos() / 1e9, Attributes.of(OUTCOME, e.outcome().code()));
    }

    @Override
    public void onMonitorAlert(MonitorAlert alert) {
        alerts.add(1, Attributes.of(RULE, alert.ruleId(), MONITOR_ACTION, alert.blocks() ? "block" : "alert"));
    }

    @Override
    public void onSandboxStop(String agent, SandboxStoppedException stop) {
        stops.add(1, Attributes.of(SANDBOX_STOP, stop.code(), REASON, stop.reasonCode().code()));
    }

    /** {@code tool://read_file} is the tool {@code read_file}; another resource is named as it is. */
    static String toolName(String resource) {
        if (resource == null) {
            return "unknown";
        }
        return resource.startsWith("tool://") ? resource.substring("tool://".length()) : resource;
    }
}
