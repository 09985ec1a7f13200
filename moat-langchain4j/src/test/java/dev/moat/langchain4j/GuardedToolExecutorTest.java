package dev.moat.langchain4j;

import dev.moat.tool.ToolPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.tool.rule.ArgumentRule;
import dev.moat.langchain4j.internal.Results;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decorator over a plain (dynamic) executor: what the delegate receives, errors, name binding. */
class GuardedToolExecutorTest {
    private ConformanceFixture fx;
    private final List<String> received = new ArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ToolExecutionResult run(ToolPolicy policy, ToolExecutor delegate, String tool, String json) {
        var ex = new GuardedToolExecutor(fx.guard(), ConformanceFixture.AGENT, policy, delegate, null);
        return ex.executeWithContext(ToolExecutionRequest.builder().id("1").name(tool).arguments(json).build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    private ToolExecutor recording() {
        return (request, memoryId) -> {
            received.add(request.arguments());
            return "ok";
        };
    }

    @Test
    void delegateReceivesTheCanonicalSignedArguments() {
        ToolExecutionResult r = run(ToolPolicy.defaults("echo"), recording(), "echo", "{ \"b\":1, \"a\":{\"z\":2,\"y\":[3]} }");

        assertThat(r.resultText()).isEqualTo("ok");
        assertThat(received).containsExactly("{\"a\":{\"y\":[3],\"z\":2},\"b\":1}");
    }

    @Test
    void duplicateKeysAreRejectedSoChecksAndToolCannotDisagree() {
        ToolPolicy policy = ToolPolicy.forTool("read_file").constrain("path", ArgumentRule.pathUnder(fx.workspace())).build();
        ToolExecutionResult r = run(policy, recording(), "read_file", "{\"path\":\"notes.txt\",\"path\":\"../secrets.txt\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(received).isEmpty();
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.reasonCode()).isEqualTo("argument_rejected"));
    }

    @Test
    void malformedArgumentsAreDeniedAndAudited() {
        ToolExecutionResult r = run(ToolPolicy.defaults("echo"), recording(), "echo", "{\"text\":\"x\",}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(received).isEmpty();
    }

    @Test
    void requestForAnotherToolThanTheGuardedOneIsDenied() {
        ToolExecutionResult r = run(ToolPolicy.defaults("echo"), recording(), "wire_money", "{}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(r.resultText()).isEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)");
        assertThat(received).isEmpty();
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("wire_money"));
    }

    @Test
    void theModelIsToldNoPolicyValueByDefaultAndTheDetailWhenDetailedDenialsAreOn(@TempDir Path other) throws Exception {
        ToolPolicy policy = ToolPolicy.forTool("read_file").constrain("path", ArgumentRule.pathUnder(fx.workspace())).build();
        String escape = "{\"path\":\"../secrets.txt\"}";
        ToolExecutionResult brief = run(policy, recording(), "read_file", escape);
        assertThat(brief.resultText()).isEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)")
                .doesNotContain(fx.workspace().toString());
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("path"));
        try (ConformanceFixture detailed = new ConformanceFixture(other, b -> b.detailedDenials(true))) {
            ToolPolicy p2 = ToolPolicy.forTool("read_file").constrain("path", ArgumentRule.pathUnder(detailed.workspace())).build();
            var ex = new GuardedToolExecutor(detailed.guard(), ConformanceFixture.AGENT, p2, recording(), null);
            ToolExecutionResult r = ex.executeWithContext(ToolExecutionRequest.builder().id("1").name("read_file").arguments(escape).build(),
                    InvocationContext.builder().chatMemoryId("m").build());
            assertThat(r.resultText()).startsWith("denied: ").endsWith("(guard/argument_rejected)")
                    .isNotEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)");
        }
        assertThat(received).isEmpty();
    }

    @Test
    void programmaticRulesApplyToProviderTools() {
        ToolPolicy policy = ToolPolicy.forTool("echo").constrain("text", ArgumentRule.maxLength(3)).build();

        assertThat(run(policy, recording(), "echo", "{\"text\":\"abcd\"}").attributes())
                .containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(run(policy, recording(), "echo", "{\"text\":\"abc\"}").resultText()).isEqualTo("ok");
    }

    @Test
    void delegateExceptionPropagatesAfterBeingAudited() {
        ToolExecutor failing = (request, memoryId) -> {
            throw new IllegalArgumentException("bad input");
        };

        assertThatThrownBy(() -> run(ToolPolicy.defaults("echo"), failing, "echo", "{}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(fx.outcomes()).singleElement().satisfies(o -> assertThat(o.error()).isEqualTo("java.lang.IllegalArgumentException"));
    }

    @Test
    void delegateErrorResultIsReturnedAsIsAndAuditedAsError() {
        ToolExecutor reporting = new ToolExecutor() {
            @Override
            public String execute(ToolExecutionRequest request, Object memoryId) {
                throw new AssertionError("not used");
            }

            @Override
            public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
                return ToolExecutionResult.builder().isError(true).resultText("upstream 503").build();
            }
        };

        ToolExecutionResult r = run(ToolPolicy.defaults("echo"), reporting, "echo", "{}");

        assertThat(r.resultText()).isEqualTo("upstream 503");
        assertThat(r.isError()).isTrue();
        assertThat(fx.outcomes()).singleElement().satisfies(o -> assertThat(o.status().wire()).isEqualTo("error"));
    }

    @Test
    void resourceAndActionFromThePolicyAreWhatTheCapabilityMustGrant() {
        ToolPolicy policy = ToolPolicy.forTool("echo").resource("tool://echo").action("admin").build();

        ToolExecutionResult r = run(policy, recording(), "echo", "{}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "not_granted");
        assertThat(received).isEmpty();
    }
}
