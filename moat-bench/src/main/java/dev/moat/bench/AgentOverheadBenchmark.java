package dev.moat.bench;

import dev.langchain4j.agent.tool.Tool;
import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.guard.Guard;
import dev.moat.guard.ToolCall;
import dev.moat.langchain4j.internal.CanonicalArguments;
import dev.moat.pep.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call cost of the Java agent beyond the guard itself, in one JVM run with
 * {@code -javaagent:moat-agent.jar} (run it with {@code moat-bench/scripts/agent-overhead.sh}, which
 * writes the policies and passes the agent through {@code -jvmArgsAppend}):
 * <ul>
 * <li>{@code plainBody}: the tool body alone (an uninstrumented class);</li>
 * <li>{@code guardDirect}: what the agent asks of the Guard for one call, written by hand: build the
 *   {@link ToolCall} (agent, {@code tool://echo}, execute, canonical argument bytes prepared once),
 *   {@code decide}, run the body, {@code recordOutcome};</li>
 * <li>{@code agentDirectCall}: the same tool as a LangChain4j {@code @Tool} method, called plainly:
 *   the agent's inlined advice, the bridge, the dispatcher (argument object to canonical JSON,
 *   tool rule, identity), the same Guard calls in the agent's isolated copy.</li>
 * </ul>
 * {@code agentDirectCall - guardDirect} is the agent's overhead. Both guards use the same kind of
 * policy (separate homes: file replay journal, batched audit).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class AgentOverheadBenchmark {
    static final String AGENT = "assistant";

    /** Guarded by the agent (it carries LangChain4j's @Tool). */
    public static final class GuardedTools {
        @Tool(name = "echo", value = "Echoes the text")
        public String echo(String text) {
            return Body.echo(text);
        }

        @Tool(name = "not_granted", value = "Never granted")
        public String notGranted() {
            return "ran";
        }
    }

    /** The body alone: no annotation, never instrumented. */
    public static final class Body {
        static String echo(String text) {
            return "echo:" + text;
        }
    }

    private Moat moat;
    private Guard guard;
    private byte[] arguments;
    private final GuardedTools tools = new GuardedTools();
    private final String text = "hello";

    @Setup
    public void setup() throws Exception {
        String policy = System.getProperty("moat.bench.direct.policy");
        if (policy == null) {
            throw new IllegalStateException("run with moat-bench/scripts/agent-overhead.sh (-Dmoat.bench.direct.policy and -javaagent)");
        }
        try {
            tools.notGranted();
            throw new IllegalStateException("the Moat agent is not attached: a call it must deny ran");
        } catch (RuntimeException e) {
            if (!e.getClass().getSimpleName().equals("MoatDeniedException")) {
                throw e;
            }
        }
        moat = Moat.fromPolicy(Path.of(policy));
        guard = moat.guard();
        arguments = CanonicalArguments.canonicalise("{\"text\":\"" + text + "\"}");
    }

    @TearDown
    public void tearDown() {
        moat.close();
    }

    @Benchmark
    public String plainBody() {
        return Body.echo(text);
    }

    @Benchmark
    public String guardDirect() {
        ToolCall call = ToolCall.builder(AGENT, "tool://echo", "execute").arguments(arguments).build();
        Decision decision = guard.decide(call);
        if (!(decision instanceof Decision.Allow allow)) {
            throw new IllegalStateException("denied: " + decision);
        }
        long start = System.nanoTime();
        String out = Body.echo(text);
        guard.recordOutcome(allow, AuditEvent.ToolOutcome.Status.OK, out.getBytes(StandardCharsets.UTF_8), null,
                (System.nanoTime() - start) / 1000);
        return out;
    }

    @Benchmark
    public String agentDirectCall() {
        return tools.echo(text);
    }
}
