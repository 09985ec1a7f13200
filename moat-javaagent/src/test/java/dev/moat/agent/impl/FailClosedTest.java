package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.agent.apps.ConformanceTools;
import dev.moat.agent.bootstrap.Dispatcher;
import dev.moat.guard.conformance.ConformanceFixture;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Internal errors in the bridge deny (the body does not run); audit-only mode audits the denial and runs the call. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailClosedTest {
    private ConformanceFixture fx;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** A dispatcher whose every entry point fails, as a broken guard side would. */
    static class Broken implements Dispatcher {
        @Override
        public Object enterToolService(Object request, Object executor, Object context) {
            throw new IllegalStateException("broken dispatcher (test)");
        }

        @Override
        public Object exitToolService(Object scope, Object result, Throwable thrown) {
            throw new IllegalStateException("broken dispatcher (test)");
        }

        @Override
        public Object enterMethod(String target, Object[] args) {
            throw new IllegalStateException("broken dispatcher (test)");
        }

        @Override
        public void exitMethod(Object scope, Object result, Throwable thrown) {
            throw new IllegalStateException("broken dispatcher (test)");
        }

        @Override
        public Object enterToolCallback(Object callback, String input) {
            throw new IllegalStateException("broken dispatcher (test)");
        }

        @Override
        public void exitToolCallback(Object scope, Object result, Throwable thrown) {
            throw new IllegalStateException("broken dispatcher (test)");
        }
    }

    @Test
    void aFailingBridgeDeniesDirectCallsAndTheBodyDoesNotRun() {
        InProcessAgent.use(new Broken());
        ConformanceTools tools = new ConformanceTools(fx);

        assertThatThrownBy(() -> tools.echo("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("broken dispatcher");
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void aFailingBridgeDeniesFrameworkCallsAndNoExecutorRuns() {
        InProcessAgent.use(new Broken());
        ConformanceTools tools = new ConformanceTools(fx);

        assertThatThrownBy(() -> AgentConformanceTest.execute(tools, ConformanceFixture.ECHO, "{\"text\":\"x\"}"))
                .hasMessageContaining("broken dispatcher");
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void aFailingBridgeDeniesSpringAiCallbacksAndNoToolRuns() {
        InProcessAgent.use(new Broken());
        var callbacks = SpringAiConformanceTest.callbacks(new dev.moat.agent.apps.SpringAiConformanceTools(fx));

        assertThatThrownBy(() -> SpringAiConformanceTest.call(callbacks, ConformanceFixture.ECHO, "{\"text\":\"x\"}"))
                .hasMessageContaining("broken dispatcher");
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void aGuardFailureOnTheSpringAiPathIsAnInternalDenialAndNoToolRuns() {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);
        fx.breakSequenceStore();
        var callbacks = SpringAiConformanceTest.callbacks(new dev.moat.agent.apps.SpringAiConformanceTools(fx));

        var r = SpringAiConformanceTest.call(callbacks, ConformanceFixture.ECHO, "{\"text\":\"x\"}");

        assertThat(r).isInstanceOfSatisfying(dev.moat.guard.conformance.ToolCallResult.Denied.class,
                d -> assertThat(d.code()).isEqualTo(dev.moat.check.ReasonCode.INTERNAL));
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void aGuardFailureOnTheFrameworkPathIsAReadableInternalDenial() {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);
        fx.breakSequenceStore();

        var r = AgentConformanceTest.execute(new ConformanceTools(fx), ConformanceFixture.ECHO, "{\"text\":\"x\"}");

        assertThat(r.isError()).isTrue();
        assertThat(r.attributes()).containsEntry(LangChain4jAccess.REASON_CODE, "internal");
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void malformedArgumentsAreDeniedBeforeTheExecutorRuns() {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);

        var r = AgentConformanceTest.execute(new ConformanceTools(fx), ConformanceFixture.ECHO, "{\"text\":\"x\",\"text\":\"y\"}");

        assertThat(r.attributes()).containsEntry(LangChain4jAccess.REASON_CODE, "argument_rejected");
        assertThat(fx.runs(ConformanceFixture.ECHO)).isZero();
    }

    @Test
    void auditOnlyAuditsTheDenialOnceAsWouldDenyAndRunsTheCall(@TempDir Path other) throws Exception {
        try (ConformanceFixture shadow = new ConformanceFixture(other, b -> b.shadow(dev.moat.pep.ShadowMode.ALL))) {
            InProcessAgent.use(shadow.guard(), ConformanceFixture.AGENT, shadow.workspace(), false);

            var r = AgentConformanceTest.execute(new ConformanceTools(shadow), ConformanceFixture.WIRE_MONEY, "{\"to\":\"x\",\"amount\":5}");
            String direct = new ConformanceTools(shadow).wireMoney("y", 6);

            assertThat(r.isError()).isFalse();
            assertThat(r.resultText()).isEqualTo("sent 5 to x");
            assertThat(direct).isEqualTo("sent 6 to y");
            assertThat(shadow.runs(ConformanceFixture.WIRE_MONEY)).isEqualTo(2);
            assertThat(shadow.decisions()).hasSize(2).allSatisfy(d -> {
                assertThat(d.allowed()).isTrue();
                assertThat(d.wouldDeny()).isTrue();
                assertThat(d.reasonCode()).isEqualTo("not_granted");
            });
            assertThat(shadow.outcomes()).hasSize(2); // the calls ran under their (shadowed) allow: outcomes are recorded
        }
    }

    @Test
    void auditOnlyStillDeniesAGuardFailure(@TempDir Path other) throws Exception {
        try (ConformanceFixture shadow = new ConformanceFixture(other, b -> b.shadow(dev.moat.pep.ShadowMode.ALL))) {
            InProcessAgent.use(shadow.guard(), ConformanceFixture.AGENT, shadow.workspace(), false);
            shadow.breakSequenceStore();

            var r = AgentConformanceTest.execute(new ConformanceTools(shadow), ConformanceFixture.WIRE_MONEY, "{\"to\":\"x\",\"amount\":5}");

            assertThat(r.isError()).isTrue();
            assertThat(r.attributes()).containsEntry(LangChain4jAccess.REASON_CODE, "internal");
            assertThat(shadow.runs(ConformanceFixture.WIRE_MONEY)).isZero();
        }
    }
}
