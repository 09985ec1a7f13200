package dev.moat.bench;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolService;
import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.identity.AgentKeypair;
import dev.moat.langchain4j.MoatTools;
import dev.moat.tool.MaxLength;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A trivial LangChain4j tool run through the plain {@code DefaultToolExecutor} ({@link #baseline})
 * and through Moat's guarded executor: sign, PEP (chain cache warm), audit decision and outcome,
 * canonical arguments ({@link #guarded}), plus one argument rule ({@link #guardedWithConstraint}).
 * The audit store discards entries (hashing and chaining still run); replay state is in memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ToolExecutorBenchmark {

    /** The tool: as cheap as a tool can be. */
    public static final class EchoTools {
        @Tool(name = "echo", value = "Echoes")
        public String echo(String text) {
            return text;
        }

        @Tool(name = "echo_short", value = "Echoes short text")
        public String echoShort(@MaxLength(64) String text) {
            return text;
        }
    }

    private Moat moat;
    private ToolExecutor plain;
    private ToolExecutor guarded;
    private ToolExecutor guardedConstrained;
    private final InvocationContext context = InvocationContext.builder().chatMemoryId("bench").build();
    private final ToolExecutionRequest echo = ToolExecutionRequest.builder().id("1").name("echo").arguments("{\"text\":\"hello moat\"}").build();
    private final ToolExecutionRequest echoShort = ToolExecutionRequest.builder().id("2").name("echo_short").arguments("{\"text\":\"hello moat\"}").build();

    @Setup(Level.Trial)
    public void setUp() {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair agent = AgentKeypair.generate("assistant");
        TokenChain chain = TokenChain.issue(root, Grant.to(agent.id()).allow("tool://*", "execute").validFor(Duration.ofHours(2)).build());
        moat = Moat.builder().agent(root).agent(agent).trustRoot("root").capability("assistant", chain)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new DiscardingAuditStore(), AgentKeypair.generate("audit")).open())
                .build();
        EchoTools tools = new EchoTools();
        plain = ToolService.findTools(tools).stream().filter(t -> t.name().equals("echo")).findFirst()
                .map(AiServiceTool::toolExecutor).orElseThrow();
        var map = MoatTools.guarded(moat.guard(), "assistant", tools);
        map.forEach((spec, executor) -> {
            if (spec.name().equals("echo")) {
                guarded = executor;
            } else {
                guardedConstrained = executor;
            }
        });
        ToolExecutionResult check = guarded.executeWithContext(echo, context);
        if (check.isError()) {
            throw new IllegalStateException("guarded call was denied: " + check.resultText());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        moat.close();
    }

    @Benchmark
    public String baseline() {
        return plain.executeWithContext(echo, context).resultText();
    }

    @Benchmark
    public String guarded() {
        return guarded.executeWithContext(echo, context).resultText();
    }

    @Benchmark
    public String guardedWithConstraint() {
        return guardedConstrained.executeWithContext(echoShort, context).resultText();
    }
}
