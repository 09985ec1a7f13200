package dev.moat.langchain4j;

import dev.moat.tool.MoatTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.langchain4j.internal.Results;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @MoatTool(sandbox = ...)}: the Wasm implementation runs under the token's limits, the Java body never. */
@Timeout(60)
class SandboxedToolTest {
    static final AtomicInteger JAVA_BODY_RUNS = new AtomicInteger();

    /** Tools whose implementations are WebAssembly skills from samples/skills. */
    public static class Skills {
        @Tool(name = "shout", value = "Upper-cases the strings of a JSON document")
        @MoatTool(sandbox = "skills/json_transform.wasm")
        public String shout(String name, int n) {
            JAVA_BODY_RUNS.incrementAndGet();
            return "the Java body must not run";
        }

        @Tool(name = "spin", value = "Never returns")
        @MoatTool(sandbox = "skills/infinite_loop.wasm")
        public String spin(String anything) {
            JAVA_BODY_RUNS.incrementAndGet();
            return "the Java body must not run";
        }
    }

    /** A tool that names a module that does not exist. */
    public static class Broken {
        @Tool(name = "ghost", value = "missing module")
        @MoatTool(sandbox = "skills/no_such_module.wasm")
        public String ghost(String x) {
            return x;
        }
    }

    private final AgentKeypair owner = AgentKeypair.generate("owner");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private final Moat moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner")
            .capability("assistant", TokenChain.issue(owner, Grant.to(assistant.id())
                    .allow("tool://shout", "execute").allow("tool://spin", "execute")
                    .limits(ResourceLimits.builder().maxFuel(1_000_000L).maxMemoryBytes(8L << 20).build())
                    .validFor(Duration.ofHours(1)).build()))
            .sequenceStore(new InMemorySequenceStore())
            .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open())
            .build();

    @AfterEach
    void close() {
        moat.close();
    }

    private ToolExecutionResult call(String tool, String json) {
        Map<ToolSpecification, ToolExecutor> tools = MoatTools.guarded(moat.guard(), "assistant", new Skills());
        ToolExecutor ex = tools.entrySet().stream().filter(e -> e.getKey().name().equals(tool)).findFirst().orElseThrow().getValue();
        return ex.executeWithContext(ToolExecutionRequest.builder().id("1").name(tool).arguments(json).build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    @Test
    void theWasmImplementationAnswersAndItsRunIsAudited() {
        ToolExecutionResult r = call("shout", "{\"name\":\"moat\",\"n\":3}");
        assertThat(r.isError()).isFalse();
        assertThat(r.resultText()).contains("\"NAME\":\"MOAT\"");
        assertThat(JAVA_BODY_RUNS.get()).isZero();
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.SandboxRun.class::isInstance).hasSize(1);
    }

    @Test
    void theTokensFuelStopsARunawaySkillAndTheModelIsTold() {
        ToolExecutionResult r = call("spin", "{\"anything\":\"x\"}");
        assertThat(r.isError()).isTrue();
        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "sandbox_limit").containsEntry("moat.sandbox_stop", "fuel_exhausted");
        assertThat(JAVA_BODY_RUNS.get()).isZero();
    }

    @Test
    void aMissingModuleIsAnErrorWhenTheToolsAreBuilt() {
        assertThatThrownBy(() -> MoatTools.guarded(moat.guard(), "assistant", new Broken()))
                .isInstanceOf(MoatException.class).hasMessageContaining("no_such_module");
    }
}
