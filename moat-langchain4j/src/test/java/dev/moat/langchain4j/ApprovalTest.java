package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.langchain4j.internal.Results;
import dev.moat.tool.Approval;
import dev.moat.tool.ApprovalRequest;
import dev.moat.tool.Approver;
import dev.moat.tool.MoatTool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalTest {
    static final class Tools {
        final List<String> received = new ArrayList<>();

        @Tool(name = "echo", value = "Echoes")
        @MoatTool(approval = true)
        public String echo(String text) {
            received.add(text);
            return "echo:" + text;
        }
    }

    private ConformanceFixture fx;
    private final Tools tools = new Tools();
    private final List<ApprovalRequest> asked = new ArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ToolExecutionResult run(Approver approver, String json) {
        Map<ToolSpecification, ToolExecutor> map = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT)
                .approver(r -> {
                    asked.add(r);
                    return approver.review(r);
                }).build().tools(tools);
        ToolExecutor executor = map.values().iterator().next();
        return executor.executeWithContext(ToolExecutionRequest.builder().id("1").name("echo").arguments(json).build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    @Test
    void approverSeesTheExactCanonicalArgumentsAndTheApprovedPayloadRuns() {
        ToolExecutionResult r = run(req -> req.approve("alice"), "{ \"text\" : \"pay rent\" }");

        assertThat(r.resultText()).isEqualTo("echo:pay rent");
        assertThat(asked).singleElement().satisfies(req -> {
            assertThat(req.arguments()).isEqualTo("{\"text\":\"pay rent\"}");
            assertThat(req.tool()).isEqualTo("echo");
            assertThat(req.messageId()).isNotBlank();
        });
        assertThat(tools.received).containsExactly("pay rent");
    }

    /** The attack: an IBAN with a right-to-left override, which a raw prompt would display reversed. */
    @Test
    void aPromptEscapesBidiOverridesAndWarns() {
        String iban = "DE89 3704 \u202e0044 0532 0130 00";
        run(req -> req.refuse("alice", "looks odd"), "{\"text\":\"" + iban + "\"}");

        ApprovalRequest req = asked.get(0);
        assertThat(req.arguments()).contains("\u202e"); // the raw bytes that would run
        assertThat(req.prompt()).doesNotContain("\u202e").contains("\\u202e").contains("WARNING").contains("bidirectional");
        assertThat(req.displayArguments()).isEqualTo("{\"text\":\"DE89 3704 \\u202e0044 0532 0130 00\"}");
        assertThat(req.hasHiddenCharacters()).isTrue();
        assertThat(tools.received).isEmpty();

        asked.clear();
        run(req2 -> req2.refuse("alice", "no"), "{\"text\":\"plain\"}");
        assertThat(asked.get(0).prompt()).doesNotContain("WARNING");
    }

    @Test
    void approvalIsRecordedInTheAuditLogWithTheArgumentsHash() {
        run(req -> req.approve("alice"), "{\"text\":\"pay rent\"}");

        String hash = asked.get(0).argumentsSha256();
        assertThat(fx.decisions()).anySatisfy(d -> {
            assertThat(d.stage()).isEqualTo("guard");
            assertThat(d.allowed()).isTrue();
            assertThat(d.detail()).contains("approved by alice").contains(hash);
            assertThat(d.messageId()).isEqualTo(asked.get(0).messageId());
        });
        assertThat(fx.verifyAudit().isIntact()).isTrue();
    }

    @Test
    void refusalDeniesAsNotApprovedAndTheToolDoesNotRun() {
        ToolExecutionResult r = run(req -> req.refuse("alice", "not today"), "{\"text\":\"x\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "not_approved");
        assertThat(r.resultText()).isEqualTo("denied: the tool is not approved. (guard/not_approved)"); // the reviewer's words stay in the audit log
        assertThat(tools.received).isEmpty();
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.reasonCode()).isEqualTo("not_approved"));
    }

    @Test
    void approvalOfOtherArgumentsDoesNotCount() {
        ToolExecutionResult r = run(req -> new Approval.Approved("alice", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "{\"text\":\"x\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "not_approved");
        assertThat(tools.received).isEmpty();
    }

    @Test
    void approverThatThrowsDeniesAsInternal() {
        ToolExecutionResult r = run(req -> {
            throw new IllegalStateException("console closed");
        }, "{\"text\":\"x\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "internal");
        assertThat(tools.received).isEmpty();
    }

    @Test
    void approverThatAnswersNullDenies() {
        ToolExecutionResult r = run(req -> null, "{\"text\":\"x\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "not_approved");
        assertThat(tools.received).isEmpty();
    }

    @Test
    void argumentRulesAreCheckedBeforeAnyoneIsAsked() {
        ToolExecutionResult r = run(req -> req.approve("alice"), "{\"text\":\"a\",\"text\":\"b\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(asked).isEmpty();
        assertThat(tools.received).isEmpty();
    }
}
