package dev.moat.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped {@code moat-agent.jar} on an unmodified Spring AI 2.0 application in real child JVMs,
 * Java 17 and Java 25: tool calls executed by Spring AI's own {@code DefaultToolCallingManager}
 * ({@code @Tool} methods as {@code MethodToolCallback}s, lambdas as {@code FunctionToolCallback}s)
 * and direct calls of the callbacks and of a {@code @Tool} method are guarded, each decided and
 * audited once. A denial reaches the model through Spring AI's exception processor, or stops the
 * chat when the application configured it to rethrow.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SpringAiAgentTest {
    static final String APP = "dev.moat.agent.apps.SpringAiApp";

    static Stream<String> jdks() {
        return AgentJarTest.jdks();
    }

    @Test
    void withoutTheAgentTheInjectedCallsRun() throws Exception {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of(), ChildJvm.appClasspath(), APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("MODEL-SAW wire_money => \"sent 5000 to DE00 1234\"")
                .contains("RUNS echo=2 wire_money=3 lookup=1 delete_all=2");
        assertThat(r.err()).doesNotContain("moat:");
    }

    @ParameterizedTest(name = "Java {0}")
    @MethodSource("jdks")
    void everySpringAiToolPathIsGuardedAndDecidedOnce(String jdk, @TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://echo", "tool://lookup"), AgentJarTest.AGENT);

        ChildJvm.Result r = ChildJvm.run(AgentJarTest.java(jdk), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                ChildJvm.appClasspath(), APP, List.of(), Map.of());

        assertThat(r.exit()).as(r.toString()).isZero();
        // Spring AI's default exception processor hands the denial's explanation to the model; the turn goes on
        assertThat(r.out()).contains("MODEL-SAW echo => \"echo:hi\"")
                .contains("MODEL-SAW wire_money => denied:").contains("(capability/not_granted)")
                .contains("MODEL-SAW lookup => \"found k1 1\"")
                .contains("MODEL-SAW delete_all => denied:");
        // direct callers get an exception, never a string they could take for the tool's output
        assertThat(r.out()).contains("DIRECT callback-wire threw ToolExecutionException cause MoatDeniedException: denied:")
                .contains("DIRECT callback-echo ok \"echo:direct\"")
                .contains("DIRECT callback-delete threw ToolExecutionException cause MoatDeniedException: denied:")
                .contains("DIRECT method-wire threw MoatDeniedException cause none: denied:")
                .contains("RUNS echo=2 wire_money=0 lookup=1 delete_all=0");
        assertThat(r.err()).contains("moat: guarding Spring AI tool callbacks (org.springframework.ai.tool.method.MethodToolCallback.call)")
                .contains("moat: guarding Spring AI tool callbacks (org.springframework.ai.tool.function.FunctionToolCallback.call)")
                .contains("(dev.moat.agent.apps.SpringAiApp$Tools: echo, wire_money)");
        // one decision per call: the callback, its call(input) -> call(input, null) overload and the @Tool method it invokes
        assertThat(TestPolicy.decisions(dir, "tool://echo")).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"allowed\":true"));
        assertThat(TestPolicy.outcomes(dir, "tool://echo")).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"status\":\"ok\""));
        assertThat(TestPolicy.decisions(dir, "tool://wire_money")).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("\"allowed\":false").contains("not_granted"));
        assertThat(TestPolicy.outcomes(dir, "tool://wire_money")).isEmpty();
        assertThat(TestPolicy.decisions(dir, "tool://lookup")).hasSize(1);
        assertThat(TestPolicy.outcomes(dir, "tool://lookup")).hasSize(1);
        assertThat(TestPolicy.decisions(dir, "tool://delete_all")).hasSize(2);
    }

    @Test
    void anApplicationThatRethrowsToolErrorsGetsTheDenialAsAnException(@TempDir Path dir) throws Exception {
        Path policy = TestPolicy.write(dir, List.of("tool://echo", "tool://lookup"), AgentJarTest.AGENT);

        ChildJvm.Result r = ChildJvm.run(ChildJvm.currentJava(), List.of("-javaagent:" + ChildJvm.agentJar() + "=config=" + policy),
                ChildJvm.appClasspath(), APP, List.of("rethrow"), Map.of());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("CHAT threw ToolExecutionException cause MoatDeniedException: denied:")
                .doesNotContain("MODEL-SAW")
                .contains("RUNS echo=2 wire_money=0 lookup=0 delete_all=0");
    }
}
