package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The end user of a call ({@link CallContext#user()}) is in every decision entry the call makes,
 * whichever step decides: the PEP (allow, and a cross-user denial), the per-user capability
 * selection (a malformed user, stored escaped), the after-PEP check; a call without a user
 * writes no user field.
 */
@Timeout(60)
class DecisionUserAuditTest {
    private final AgentKeypair admin = AgentKeypair.generate("admin");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final AgentKeypair other = AgentKeypair.generate("other");
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private Moat moat;

    @BeforeEach
    void start() {
        TokenChain chain = TokenChain.issue(admin, Grant.to(assistant.id()).allow("tool://inbox/**", "read")
                .validFor(Duration.ofHours(1)).build());
        TokenChain otherChain = TokenChain.issue(admin, Grant.to(other.id()).allow("tool://inbox/**", "read")
                .validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(admin).agent(assistant).agent(other).trustRoot("admin")
                .capability("assistant", chain).capability("other", otherChain)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open()).build();
        moat.capabilities().scopeUsers("assistant", UserScope.of("tool://inbox/{user}/**", "read"));
    }

    private AuditEvent.Decision lastDecision() {
        List<AuditEvent.Decision> all = store.entries().stream().map(AuditEntry::event)
                .filter(e -> e instanceof AuditEvent.Decision).map(e -> (AuditEvent.Decision) e).toList();
        return all.get(all.size() - 1);
    }

    private Decision check(String agent, String resource, CallContext ctx) {
        return moat.guard().check(ToolCall.builder(agent, resource, "read").context(ctx).build());
    }

    @Test
    void theUserIsInTheEntryOfAnAllowAndOfACrossUserDenial() {
        assertThat(check("assistant", "tool://inbox/alice/1", CallContext.user("alice"))).isInstanceOf(Decision.Allow.class);
        assertThat(lastDecision().allowed()).isTrue();
        assertThat(lastDecision().user()).isEqualTo("alice");

        Decision cross = check("assistant", "tool://inbox/bob/1", CallContext.user("alice"));
        assertThat(((Decision.Deny) cross).code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(lastDecision().allowed()).isFalse();
        assertThat(lastDecision().resource()).isEqualTo("tool://inbox/bob/1");
        assertThat(lastDecision().user()).isEqualTo("alice");
    }

    @Test
    void aMalformedUserIsDeniedAndStoredEscapedAndBounded() {
        String evil = "bob\u202e\u001b[2J" + "x".repeat(1000);
        Decision d = check("assistant", "tool://inbox/bob/1", CallContext.user(evil));
        assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.INVALID_RESOURCE);
        String stored = lastDecision().user();
        assertThat(stored).startsWith("bob\\u202e\\u001b[2J").hasSize(AuditEvent.Decision.MAX_USER_CHARS).endsWith("\u2026");
        assertThat(stored).doesNotContain("\u202e", "\u001b");
    }

    @Test
    void anAfterPepRefusalCarriesTheUserAndACallWithoutUserHasNone() {
        GuardedCall<String> refused = moat.guard().call(ToolCall.builder("assistant", "tool://inbox/carol/1", "read")
                .context(CallContext.user("carol")).check(allow -> Failure.of(ReasonCode.ARGUMENT_REJECTED, "no"))
                .build(), () -> "ran");
        assertThat(refused).isInstanceOf(GuardedCall.Denied.class);
        assertThat(lastDecision().reasonCode()).isEqualTo(ReasonCode.ARGUMENT_REJECTED.code());
        assertThat(lastDecision().user()).isEqualTo("carol");

        assertThat(check("other", "tool://inbox/x/1", CallContext.NONE)).isInstanceOf(Decision.Allow.class);
        assertThat(lastDecision().user()).isNull();
        assertThat(lastDecision().fields()).doesNotContainKey("user");
    }
}
