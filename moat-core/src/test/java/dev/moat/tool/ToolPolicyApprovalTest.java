package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.tool.rule.ArgumentRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Core's one approval check ({@link ToolPolicy#check(CallContext, String, Approver, AuditLog)}),
 * shared by every adapter: rules first, then the approval of exactly the signed bytes (audited),
 * budgets last; an approval of other arguments, a refusal or no answer denies and spends nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ToolPolicyApprovalTest {
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private final List<ApprovalRequest> asked = new ArrayList<>();
    private final ToolPolicy pay = ToolPolicy.forTool("pay").requireApproval()
            .constrain("amount", ArgumentRule.range("0.01", "500"), new ArgumentRule.Budget(new java.math.BigDecimal("100"),
                    dev.moat.tool.rule.BudgetScope.AGENT)).build();
    private Moat moat;

    @BeforeEach
    void start() {
        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair assistant = AgentKeypair.generate("assistant");
        TokenChain chain = TokenChain.issue(owner, Grant.to(assistant.id()).allow("tool://pay", "execute").validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner").capability("assistant", chain)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open()).build();
    }

    @AfterEach
    void stop() {
        moat.close();
    }

    private Decision call(String arguments, Approver approver) {
        Approver recording = r -> {
            asked.add(r);
            return approver.review(r);
        };
        return moat.guard().decide(ToolCall.builder("assistant", pay.resource(), pay.action()).arguments(arguments)
                .check(pay.check(CallContext.NONE, null, recording, moat.guard().audit())).build());
    }

    private List<String> approvals() {
        return store.entries().stream().map(AuditEntry::event).filter(e -> e instanceof AuditEvent.Decision)
                .map(e -> ((AuditEvent.Decision) e).detail()).filter(d -> d != null && d.startsWith("approved by")).toList();
    }

    @Test
    void anApprovalOfTheExactArgumentsIsAuditedAndSpendsTheBudget() {
        Decision d = call("{\"amount\":40}", r -> r.approve("alice"));
        assertThat(d.allowed()).isTrue();
        assertThat(asked).singleElement().satisfies(r -> {
            assertThat(r.tool()).isEqualTo("pay");
            assertThat(r.arguments()).isEqualTo("{\"amount\":40}");
        });
        assertThat(approvals()).singleElement().asString().contains("alice").contains(asked.get(0).argumentsSha256());
        assertThat(pay.spent("amount", dev.moat.tool.rule.BudgetScope.AGENT, asked.get(0).agent())).isEqualByComparingTo("40");
    }

    @Test
    void anApprovalOfOtherArgumentsARefusalOrNoAnswerDeniesAndSpendsNothing() {
        Decision swapped = call("{\"amount\":40}", r -> new Approval.Approved("alice", "AAAA"));
        Decision refused = call("{\"amount\":40}", r -> r.refuse("alice", "not today"));
        Decision silent = call("{\"amount\":40}", r -> null);
        for (Decision d : List.of(swapped, refused, silent)) {
            assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.NOT_APPROVED);
        }
        assertThat(((Decision.Deny) refused).failure().detail()).contains("not today");
        assertThat(approvals()).isEmpty();
        assertThat(pay.spent("amount", dev.moat.tool.rule.BudgetScope.AGENT, asked.get(0).agent())).isEqualByComparingTo("0");
    }

    @Test
    void theRulesRunFirstSoTheApproverIsNotAskedAboutARejectedCall() {
        Decision d = call("{\"amount\":900}", r -> r.approve("alice"));
        assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
        assertThat(asked).isEmpty();
        RequestRules onlyTen = RequestRules.builder().tool("pay").argument("pay", "amount", ArgumentRule.range("0", "10")).build();
        Decision overRequest = onlyTen.during(() -> call("{\"amount\":40}", r -> r.approve("alice")));
        assertThat(((Decision.Deny) overRequest).code()).isEqualTo(ReasonCode.ARGUMENT_REJECTED);
        assertThat(asked).isEmpty();
    }
}
