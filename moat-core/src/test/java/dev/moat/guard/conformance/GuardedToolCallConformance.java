package dev.moat.guard.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.check.ReasonCode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of "a guarded tool call", the same for every integration (the plain {@code Guard},
 * the LangChain4j decorators, the Java agent): allowed calls run once and are audited; denials
 * (scope, argument constraint, replay, expiry, revocation, internal error) never run the tool body,
 * reach the caller as a typed, readable refusal, and are audited. Extend it, wire the fixture's
 * three tools into the integration in {@link #integrate}, and every case runs against it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class GuardedToolCallConformance {
    protected ConformanceFixture fixture;
    private GuardedInvoker invoker;

    /** Calls one tool through the integration under test, the way its host would. */
    @FunctionalInterface
    public interface GuardedInvoker {
        ToolCallResult invoke(String tool, Map<String, Object> arguments) throws Exception;
    }

    /** Exposes the fixture's tools ({@code echo}, {@code read_file}, {@code wire_money}) through the integration. */
    protected abstract GuardedInvoker integrate(ConformanceFixture fixture) throws Exception;

    @BeforeEach
    void setUpIntegration(@TempDir Path dir) throws Exception {
        fixture = new ConformanceFixture(dir);
        invoker = integrate(fixture);
    }

    @AfterEach
    void closeFixture() {
        fixture.close();
    }

    protected ToolCallResult call(String tool, Map<String, Object> arguments) throws Exception {
        return invoker.invoke(tool, arguments);
    }

    @Test
    void allowedCallRunsTheToolOnceAndRecordsDecisionAndOutcome() throws Exception {
        ToolCallResult r = call(ConformanceFixture.ECHO, Map.of("text", "hello"));

        assertThat(r).isInstanceOfSatisfying(ToolCallResult.Ran.class, ran -> assertThat(ran.text()).contains("echo:hello"));
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isEqualTo(1);
        assertThat(fixture.decisions()).anySatisfy(d -> {
            assertThat(d.allowed()).isTrue();
            assertThat(d.resource()).isEqualTo("tool://echo");
        });
        assertThat(fixture.outcomes()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
        assertThat(fixture.verifyAudit().isIntact()).isTrue();
    }

    @Test
    void toolOutsideTheCapabilityIsDeniedAndNotRun() throws Exception {
        ToolCallResult r = call(ConformanceFixture.WIRE_MONEY, Map.of("to", "DE00 1234", "amount", 5000));

        assertDenied(r, ReasonCode.NOT_GRANTED);
        assertThat(fixture.runs(ConformanceFixture.WIRE_MONEY)).isZero();
        assertThat(fixture.decisions()).anySatisfy(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.resource()).isEqualTo("tool://wire_money");
            assertThat(d.reasonCode()).isEqualTo("not_granted");
        });
        assertThat(fixture.outcomes()).isEmpty();
    }

    @Test
    void argumentInsideItsConstraintIsAllowed() throws Exception {
        ToolCallResult r = call(ConformanceFixture.READ_FILE, Map.of("path", "notes.txt"));

        assertThat(r).isInstanceOfSatisfying(ToolCallResult.Ran.class, ran -> assertThat(ran.text()).contains("meeting at noon"));
        assertThat(fixture.runs(ConformanceFixture.READ_FILE)).isEqualTo(1);
    }

    @Test
    void traversalOutOfTheDirectoryIsDeniedByArgumentConstraintAndAudited() throws Exception {
        ToolCallResult r = call(ConformanceFixture.READ_FILE, Map.of("path", "../secrets.txt"));

        assertDenied(r, ReasonCode.ARGUMENT_REJECTED);
        assertThat(fixture.runs(ConformanceFixture.READ_FILE)).isZero();
        assertThat(fixture.decisions()).anySatisfy(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.stage()).isEqualTo("guard");
            assertThat(d.reasonCode()).isEqualTo("argument_rejected");
            assertThat(d.messageId()).isNotNull();
        });
        assertThat(fixture.verifyAudit().isIntact()).isTrue();
    }

    @Test
    void absolutePathOutsideTheDirectoryIsDenied() throws Exception {
        ToolCallResult r = call(ConformanceFixture.READ_FILE, Map.of("path", fixture.workspace().getParent().resolve("secrets.txt").toString()));

        assertDenied(r, ReasonCode.ARGUMENT_REJECTED);
        assertThat(fixture.runs(ConformanceFixture.READ_FILE)).isZero();
    }

    @Test
    void alreadyUsedSequenceNumberIsDeniedAsReplay() throws Exception {
        fixture.markSequencesUsed();

        assertDenied(call(ConformanceFixture.ECHO, Map.of("text", "again")), ReasonCode.REPLAY);
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void expiredTokenIsDenied() throws Exception {
        fixture.expireToken();

        assertDenied(call(ConformanceFixture.ECHO, Map.of("text", "late")), ReasonCode.EXPIRED);
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void revokedAgentIsDenied() throws Exception {
        fixture.revokeAgent();

        assertDenied(call(ConformanceFixture.ECHO, Map.of("text", "revoked")), ReasonCode.REVOKED);
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void failingReplayStoreDeniesAsInternalAndTheToolDoesNotRun() throws Exception {
        fixture.breakSequenceStore();

        assertDenied(call(ConformanceFixture.ECHO, Map.of("text", "x")), ReasonCode.INTERNAL);
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void failingAuditLogDeniesAndTheToolDoesNotRun() throws Exception {
        fixture.breakAuditStore();

        assertDenied(call(ConformanceFixture.ECHO, Map.of("text", "x")), ReasonCode.INTERNAL);
        assertThat(fixture.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void aDenialDoesNotStopLaterCalls() throws Exception {
        assertDenied(call(ConformanceFixture.WIRE_MONEY, Map.of("to", "x", "amount", 1)), ReasonCode.NOT_GRANTED);

        assertThat(call(ConformanceFixture.ECHO, Map.of("text", "still here"))).isInstanceOf(ToolCallResult.Ran.class);
        assertThat(fixture.verifyAudit().isIntact()).isTrue();
    }

    /** The caller got a typed refusal it can read: the word "denied" and the stable reason code. */
    protected static void assertDenied(ToolCallResult r, ReasonCode code) {
        assertThat(r).isInstanceOfSatisfying(ToolCallResult.Denied.class, d -> {
            assertThat(d.code()).isEqualTo(code);
            assertThat(d.text()).contains("denied").contains(code.code());
        });
    }
}
