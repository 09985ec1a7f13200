package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ReturnBehavior;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.moat.MoatException;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.langchain4j.internal.Results;
import dev.moat.tool.Approver;
import dev.moat.tool.MoatTool;
import dev.moat.tool.PathUnder;
import dev.moat.tool.ToolPolicy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misconfiguration is loud; provider tools are guarded like annotated ones. */
class MoatToolsConfigurationTest {
    private ConformanceFixture fx;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    static final class Sandboxed {
        @Tool("skill")
        @MoatTool(sandbox = "skills/summarise.wasm")
        public String skill(String text) {
            return text;
        }
    }

    static final class NeedsSecrets {
        @Tool("mail")
        @MoatTool(secrets = "SMTP_PASSWORD")
        public String mail(String to) {
            return to;
        }
    }

    static final class RelativePath {
        @Tool("read")
        public String read(@PathUnder("docs") String path) {
            return path;
        }
    }

    static final class NeedsApproval {
        @Tool("pay")
        @MoatTool(approval = true)
        public String pay(long amount) {
            return "paid";
        }
    }

    @Test
    void aMissingSandboxModuleAndSecretDeclarationsAreRefused() {
        assertThatThrownBy(() -> MoatTools.guarded(fx.guard(), ConformanceFixture.AGENT, new Sandboxed()))
                .isInstanceOf(MoatException.class).hasMessageContaining("sandbox");
        assertThatThrownBy(() -> MoatTools.guarded(fx.guard(), ConformanceFixture.AGENT, new NeedsSecrets()))
                .isInstanceOf(MoatException.class).hasMessageContaining("secret");
    }

    @Test
    void unknownAgentRelativePathWithoutWorkspaceAndApprovalWithoutApproverAreRefused() {
        assertThatThrownBy(() -> MoatTools.builder(fx.guard(), "nobody").build()).isInstanceOf(MoatException.class);
        assertThatThrownBy(() -> MoatTools.guarded(fx.guard(), ConformanceFixture.AGENT, new RelativePath()))
                .isInstanceOf(MoatException.class).hasMessageContaining("workspace");
        assertThatThrownBy(() -> MoatTools.guarded(fx.guard(), ConformanceFixture.AGENT, new NeedsApproval()))
                .isInstanceOf(MoatException.class).hasMessageContaining("Approver");
    }

    @Test
    void providerToolsAreGuardedAndKeepTheirReturnBehaviour() {
        AtomicInteger ran = new AtomicInteger();
        ToolSpecification wire = ToolSpecification.builder().name("wire_money").description("wires").build();
        ToolSpecification echo = ToolSpecification.builder().name("echo").description("echoes").build();
        ToolProvider mcpLike = request -> ToolProviderResult.builder()
                .add(wire, (r, m) -> "wired " + ran.incrementAndGet())
                .add(echo, (r, m) -> "echo " + ran.incrementAndGet(), ReturnBehavior.IMMEDIATE)
                .build();

        ToolProvider guarded = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT)
                .policy(ToolPolicy.forTool("demo/echo").resource("tool://echo").build()).build().provider("demo", mcpLike);
        ToolProviderResult tools = guarded.provideTools(new ToolProviderRequest("m", dev.langchain4j.data.message.UserMessage.from("hi")));
        var ctx = InvocationContext.builder().chatMemoryId("m").build();

        var denied = tools.aiServiceTools().get(0).toolExecutor()
                .executeWithContext(ToolExecutionRequest.builder().id("1").name("wire_money").arguments("{}").build(), ctx);
        var allowed = tools.aiServiceTools().get(1).toolExecutor()
                .executeWithContext(ToolExecutionRequest.builder().id("2").name("echo").arguments("{}").build(), ctx);

        assertThat(denied.attributes()).containsEntry(Results.REASON_CODE, "not_granted");
        assertThat(allowed.resultText()).isEqualTo("echo 1");
        assertThat(ran).hasValue(1);
        assertThat(tools.aiServiceTools().get(1).returnBehavior()).isEqualTo(ReturnBehavior.IMMEDIATE);
        assertThat(guarded.isDynamic()).isEqualTo(mcpLike.isDynamic());
    }

    @Test
    void providerToolsAreNamespacedByTheirSourceByDefault() {
        ToolSpecification echo = ToolSpecification.builder().name("echo").description("echoes").build();
        AtomicInteger ran = new AtomicInteger();
        ToolProvider other = request -> ToolProviderResult.builder().add(echo, (r, m) -> "echo " + ran.incrementAndGet()).build();

        ToolProvider guarded = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).build().provider("mcp/other", other);
        var result = guarded.provideTools(new ToolProviderRequest("m", dev.langchain4j.data.message.UserMessage.from("hi")))
                .aiServiceTools().get(0).toolExecutor().executeWithContext(
                        ToolExecutionRequest.builder().id("1").name("echo").arguments("{}").build(),
                        InvocationContext.builder().chatMemoryId("m").build());

        // the grant names tool://echo; this server's echo is tool://mcp/other/echo, a different resource
        assertThat(result.attributes()).containsEntry(Results.REASON_CODE, "not_granted");
        assertThat(fx.decisions()).anySatisfy(d -> {
            assertThat(d.resource()).isEqualTo("tool://mcp/other/echo");
            assertThat(d.reasonCode()).isEqualTo("not_granted");
        });
        assertThat(ran).hasValue(0);
    }
}
