package dev.moat.springai;

import static dev.moat.springai.ScriptedChatModel.call;
import static dev.moat.springai.ScriptedChatModel.calls;
import static dev.moat.springai.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.tool.Approval;
import dev.moat.tool.ApprovalRequest;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.model.tool.DefaultToolCallingManager;

/**
 * Human approval through a real ChatClient: the approver sees the exact signed arguments, an
 * approval counts only for their hash and is audited before the tool runs, a refusal is a
 * {@code not_approved} denial the model reads, an approver that throws denies.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalTest {
    private static final ToolPolicy TRANSFER = ToolPolicy.forTool("transfer").requireApproval().build();
    private final TestMoat moat = new TestMoat(g -> g.allow("tool://transfer", "execute"));
    private final MailTools tools = new MailTools();
    private final List<ApprovalRequest> asked = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        moat.close();
    }

    private String chat(Approver approver) {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> calls(call("c1", "transfer", "{ \"iban\": \"DE02\", \"cents\": 8420 }")),
                m -> text(ScriptedChatModel.responses(m).get(0).responseData()));
        MoatToolCallbacks g = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").policy(TRANSFER)
                .approver(r -> {
                    asked.add(r);
                    return approver.review(r);
                }).build();
        return ChatClient.builder(model).defaultAdvisors(ToolCallingAdvisor.builder()
                        .toolCallingManager(g.manager(DefaultToolCallingManager.builder().build())).build()).build()
                .prompt("pay the invoice").tools(tools).call().content();
    }

    @Test
    void anApprovedCallRunsWithTheArgumentsTheHumanSaw() {
        String answer = chat(r -> r.approve("alice"));

        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.arguments()).isEqualTo("{\"cents\":8420,\"iban\":\"DE02\"}");
            assertThat(r.tool()).isEqualTo("transfer");
            assertThat(r.prompt()).contains("sha256: " + r.argumentsSha256());
        });
        assertThat(tools.ran).containsExactly("transfer:8420:DE02");
        assertThat(answer).contains("transferred 8420");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).startsWith("approved by alice"));
    }

    @Test
    void aRefusalIsADenialTheModelReads() {
        String answer = chat(r -> r.refuse("alice", "not this month"));

        assertThat(tools.ran).isEmpty();
        assertThat(answer).startsWith("denied:").doesNotContain("not this month").endsWith("(guard/not_approved)");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("refused by alice: not this month"));
    }

    @Test
    void anApprovalOfOtherArgumentsDoesNotCount() {
        String answer = chat(r -> new Approval.Approved("alice", "AAAA"));

        assertThat(tools.ran).isEmpty();
        assertThat(answer).startsWith("denied:").endsWith("(guard/not_approved)");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("is for other arguments"));
    }

    @Test
    void anApproverThatThrowsDenies() {
        String answer = chat(r -> {
            throw new IllegalStateException("approval service down");
        });

        assertThat(tools.ran).isEmpty();
        assertThat(answer).startsWith("denied:").endsWith("(guard/internal)");
    }

    @Test
    void approvalWithoutAnApproverIsRefusedWhenTheToolsAreBuilt() {
        assertThatThrownBy(() -> MoatToolCallbacks.builder(moat.moat.guard(), "assistant").policy(TRANSFER).build())
                .isInstanceOf(MoatException.class).hasMessageContaining("no Approver");
    }
}
