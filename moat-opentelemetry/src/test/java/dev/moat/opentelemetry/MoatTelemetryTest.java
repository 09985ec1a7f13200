package dev.moat.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.SandboxModule;
import dev.moat.guard.SandboxResult;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.monitor.CallKind;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.Correlation;
import dev.moat.monitor.MonitorAction;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.SequenceRule;
import dev.moat.monitor.StepMatcher;
import dev.moat.pep.ShadowMode;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spans and metrics of guarded calls, read back from the SDK's in-memory exporters. */
@Timeout(60)
class MoatTelemetryTest {
    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair reader = AgentKeypair.generate("reader");
    private final AgentKeypair poster = AgentKeypair.generate("poster");

    private Moat moat(ShadowMode mode) {
        TokenChain rootCap = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build());
        return Moat.builder().agent(root).agent(reader).agent(poster).trustRoot("root")
                .capability("reader", rootCap.delegate(root, Grant.to(reader.id()).allow("tool://get_secret", "execute")
                        .allow("tool://wasm_tool", "execute").validFor(Duration.ofMinutes(10)).build()))
                .capability("poster", rootCap.delegate(root, Grant.to(poster.id()).allow("tool://http_post", "execute")
                        .validFor(Duration.ofMinutes(10)).build()))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("moat-audit")).open())
                .monitor(MonitorRules.builder().sequence(new SequenceRule("secret-then-egress",
                        List.of(StepMatcher.kind(CallKind.SECRET), StepMatcher.kind(CallKind.NETWORK)),
                        Duration.ofMinutes(5), Correlation.DISTINCT_AGENTS, MonitorAction.BLOCK)).build(),
                        CallKindResolver.of(Map.of("tool://get_secret", "secret", "tool://http_post", "network")))
                .sandbox((module, allow, secrets, handles) -> new SandboxResult.Stopped(
                        new SandboxStoppedException("fuel", ReasonCode.SANDBOX_LIMIT, "fuel exhausted"),
                        new AuditEvent.SandboxRun(allow.message().sender().value(), "m", 10L, 0, 1, null, "fuel")))
                .shadow(mode)
                .observer(MoatTelemetry.create(otel.getOpenTelemetry()))
                .build();
    }

    private static SpanData span(List<SpanData> spans, String outcome) {
        return spans.stream().filter(s -> outcome.equals(s.getAttributes().get(MoatTelemetry.OUTCOME))).findFirst().orElseThrow();
    }

    private static long count(String metric, Attributes attributes) {
        MetricData m = otel.getMetrics().stream().filter(d -> d.getName().equals(metric)).findFirst().orElseThrow();
        return m.getLongSumData().getPoints().stream().filter(p -> p.getAttributes().equals(attributes))
                .mapToLong(LongPointData::getValue).sum();
    }

    @Test
    void eachGuardedCallIsASpanWithGenAiAttributesAndTheDecisionsAreCounted() {
        try (Moat moat = moat(ShadowMode.ENFORCE)) {
            assertThat(moat.guard().call(ToolCall.builder("reader", "tool://get_secret", "execute").arguments("{\"k\":\"v\"}").build(), () -> 1).completed()).isTrue();
            assertThat(moat.guard().check(ToolCall.builder("reader", "tool://http_post", "execute").build()).allowed()).isFalse();
            assertThat(moat.guard().call(ToolCall.builder("poster", "tool://http_post", "execute").build(), () -> 1))
                    .isInstanceOf(GuardedCall.Denied.class);
        }
        List<SpanData> spans = otel.getSpans();
        assertThat(spans).hasSize(3).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(s.getAttributes().get(MoatTelemetry.OPERATION)).isEqualTo("execute_tool");
            assertThat(s.getName()).startsWith("moat.guard ");
            assertThat(s.getAttributes().asMap().toString()).doesNotContain("\"k\"").doesNotContain("scope ");
            assertThat(s.getEndEpochNanos()).isGreaterThanOrEqualTo(s.getStartEpochNanos());
        });
        SpanData allowed = span(spans, "allowed");
        assertThat(allowed.getName()).isEqualTo("moat.guard get_secret");
        assertThat(allowed.getAttributes().get(MoatTelemetry.TOOL)).isEqualTo("get_secret");
        assertThat(allowed.getAttributes().get(MoatTelemetry.MESSAGE)).isNotBlank();
        assertThat(allowed.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        SpanData denied = spans.stream().filter(s -> "capability".equals(s.getAttributes().get(MoatTelemetry.STAGE))).findFirst().orElseThrow();
        assertThat(denied.getAttributes().get(MoatTelemetry.REASON)).isEqualTo("not_granted");
        assertThat(denied.getAttributes().get(MoatTelemetry.ERROR_TYPE)).isEqualTo("not_granted");
        assertThat(denied.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);

        assertThat(count("moat.guard.decisions", Attributes.of(MoatTelemetry.OUTCOME, "allowed"))).isEqualTo(1);
        assertThat(count("moat.guard.decisions", Attributes.of(MoatTelemetry.OUTCOME, "denied",
                MoatTelemetry.STAGE, "capability", MoatTelemetry.REASON, "not_granted"))).isEqualTo(1);
        assertThat(count("moat.guard.decisions", Attributes.of(MoatTelemetry.OUTCOME, "denied",
                MoatTelemetry.STAGE, "monitor", MoatTelemetry.REASON, "monitor_blocked"))).isEqualTo(1);
        assertThat(count("moat.monitor.alerts", Attributes.of(MoatTelemetry.RULE, "secret-then-egress",
                MoatTelemetry.MONITOR_ACTION, "block"))).isEqualTo(1);
        MetricData latency = otel.getMetrics().stream().filter(d -> d.getName().equals("moat.guard.duration")).findFirst().orElseThrow();
        assertThat(latency.getUnit()).isEqualTo("s");
        assertThat(latency.getHistogramData().getPoints().stream().mapToLong(p -> p.getCount()).sum()).isEqualTo(3);
        assertThat(latency.getHistogramData().getPoints()).allSatisfy(p -> assertThat(p.getBoundaries()).isEqualTo(MoatTelemetry.LATENCY_BUCKETS));
    }

    @Test
    void aWouldDenyIsItsOwnOutcomeAndNotAnError() {
        try (Moat moat = moat(ShadowMode.ALL)) {
            assertThat(moat.guard().call(ToolCall.builder("reader", "tool://http_post", "execute").build(), () -> 1).completed()).isTrue();
        }
        SpanData s = span(otel.getSpans(), "would_deny");
        assertThat(s.getAttributes().get(MoatTelemetry.REASON)).isEqualTo("not_granted");
        assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(count("moat.guard.decisions", Attributes.of(MoatTelemetry.OUTCOME, "would_deny",
                MoatTelemetry.STAGE, "capability", MoatTelemetry.REASON, "not_granted"))).isEqualTo(1);
    }

    @Test
    void aSandboxStopIsCounted() {
        try (Moat moat = moat(ShadowMode.ENFORCE)) {
            GuardedCall<byte[]> r = moat.guard().call(ToolCall.builder("reader", "tool://wasm_tool", "execute")
                    .sandbox(SandboxModule.of(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0})).build());
            assertThat(r).isInstanceOf(GuardedCall.Failed.class);
        }
        assertThat(count("moat.sandbox.stops", Attributes.of(MoatTelemetry.SANDBOX_STOP, "fuel",
                MoatTelemetry.REASON, "sandbox_limit"))).isEqualTo(1);
    }

    @Test
    void theToolNameIsTheResourceWithoutItsScheme() {
        assertThat(MoatTelemetry.toolName("tool://read_file")).isEqualTo("read_file");
        assertThat(MoatTelemetry.toolName("tool://mcp/files/read_file")).isEqualTo("mcp/files/read_file");
        assertThat(MoatTelemetry.toolName("db://orders")).isEqualTo("db://orders");
        assertThat(MoatTelemetry.toolName(null)).isEqualTo("unknown");
    }
}
