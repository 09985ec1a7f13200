package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.RequestCapability;
import dev.moat.UserScope;
import dev.moat.audit.AuditLog;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.tool.rule.ArgumentRule;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A capability for one request of a per-user agent: {@code forRequest} builds it in one call (two
 * tools looked up in the tool rules, their resources narrowed, two request argument rules);
 * {@code narrowByHand} is the baseline, the same two scopes with {@code Capabilities.narrow} and a
 * hand-built grant (no argument rules). Both delegate once (one Ed25519 signature plus the
 * attenuation check), so the difference is the API's own cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RequestCapabilityBenchmark {
    private Moat moat;
    private AgentKeypair assistant;

    @Setup(Level.Trial)
    public void setup() {
        AgentKeypair root = AgentKeypair.generate("admin");
        assistant = AgentKeypair.generate("assistant");
        TokenChain chain = TokenChain.issue(root, Grant.to(assistant.id()).allow("tool://mail/**", "execute")
                .allow("tool://pay/**", "execute").validFor(Duration.ofHours(8)).build());
        ToolRules rules = ToolRules.builder()
                .tool(ToolPolicy.forTool("send_mail").resource("tool://mail/alice/send").build())
                .tool(ToolPolicy.forTool("pay").resource("tool://pay/alice").build()).build();
        moat = Moat.builder().agent(root).agent(assistant).trustRoot("admin").capability("assistant", chain).toolRules(rules)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(new DiscardingAuditStore(), AgentKeypair.generate("moat-audit")).open()).build();
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://mail/{user}/**", "execute")
                .and("tool://pay/{user}", "execute").validFor(Duration.ofMinutes(30)));
        forRequest(); // the user's capability is made once; both benchmarks narrow from it
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        moat.close();
    }

    @Benchmark
    public RequestCapability forRequest() {
        return moat.capabilities().forRequest("assistant", "alice").tools("send_mail", "pay")
                .argument("send_mail", "to", ArgumentRule.oneOf("bob@example.com"))
                .argument("pay", "iban", ArgumentRule.oneOf("DE89370400440532013000"))
                .validFor(Duration.ofMinutes(1)).build();
    }

    @Benchmark
    public Object narrowByHand() {
        return moat.capabilities().narrow("assistant", "alice", Grant.to(assistant.id())
                .allow("tool://mail/alice/send", "execute").allow("tool://pay/alice", "execute")
                .validFor(Duration.ofMinutes(1)).build());
    }
}
