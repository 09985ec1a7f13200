package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.pep.Stage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardCallCheckTest {
    private ConformanceFixture fx;
    private final AtomicBoolean ran = new AtomicBoolean();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private GuardedCall<String> call(CallCheck check) {
        ToolCall call = ToolCall.builder(ConformanceFixture.AGENT, "tool://echo", "execute")
                .arguments("{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8)).check(check).build();
        return fx.guard().call(call, () -> {
            ran.set(true);
            return "ok";
        });
    }

    @Test
    void checkSeesTheSignedArgumentsAndLetsTheCallRun() {
        AtomicReference<String> seen = new AtomicReference<>();
        GuardedCall<String> r = call(allow -> {
            seen.set(new String(allow.message().body(), StandardCharsets.UTF_8));
            return null;
        });

        assertThat(r.completed()).isTrue();
        assertThat(seen.get()).isEqualTo("{\"text\":\"hi\"}");
    }

    @Test
    void refusalDeniesAtGuardStageAuditedWithTheMessageId() {
        GuardedCall<String> r = call(allow -> Failure.of(ReasonCode.NOT_APPROVED, "operator said no"));

        assertThat(r).isInstanceOfSatisfying(GuardedCall.Denied.class, d -> {
            assertThat(d.decision().stage()).isEqualTo(Stage.GUARD);
            assertThat(d.decision().code()).isEqualTo(ReasonCode.NOT_APPROVED);
        });
        assertThat(ran).isFalse();
        AuditEvent.Decision allowed = fx.decisions().get(0);
        AuditEvent.Decision refused = fx.decisions().get(1);
        assertThat(allowed.allowed()).isTrue();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reasonCode()).isEqualTo("not_approved");
        assertThat(refused.messageId()).isEqualTo(allowed.messageId());
        assertThat(fx.outcomes()).isEmpty();
    }

    @Test
    void checkThatThrowsDeniesAsInternalAndTheBodyDoesNotRun() {
        GuardedCall<String> r = call(allow -> {
            throw new IllegalStateException("approver crashed");
        });

        assertThat(r).isInstanceOfSatisfying(GuardedCall.Denied.class, d -> {
            assertThat(d.decision().stage()).isEqualTo(Stage.GUARD);
            assertThat(d.decision().code()).isEqualTo(ReasonCode.INTERNAL);
        });
        assertThat(ran).isFalse();
    }

    @Test
    void checkThatThrowsAnErrorAlsoDenies() {
        GuardedCall<String> r = call(allow -> {
            throw new AssertionError("bug");
        });

        assertThat(r).isInstanceOf(GuardedCall.Denied.class);
        assertThat(ran).isFalse();
    }
}
