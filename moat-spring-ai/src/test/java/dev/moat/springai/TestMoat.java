package dev.moat.springai;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A Moat for tests: owner (root) grants the assistant what {@code grant} allows; audit kept in memory. */
final class TestMoat implements AutoCloseable {
    final AgentKeypair owner = AgentKeypair.generate("owner");
    final AgentKeypair assistant = AgentKeypair.generate("assistant");
    final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");
    final InMemoryAuditStore audit = new InMemoryAuditStore();
    final Moat moat;

    TestMoat(UnaryOperator<Grant.Builder> grant) {
        TokenChain chain = TokenChain.issue(owner, grant.apply(Grant.to(assistant.id())).validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner").capability("assistant", chain)
                .sequenceStore(new InMemorySequenceStore())
                .auditLog(AuditLog.builder(audit, auditKey).open())
                .build();
    }

    List<AuditEvent.Decision> decisions() {
        return audit.entries().stream().map(AuditEntry::event).filter(e -> e instanceof AuditEvent.Decision)
                .map(e -> (AuditEvent.Decision) e).toList();
    }

    List<AuditEvent.ToolOutcome> outcomes() {
        return audit.entries().stream().map(AuditEntry::event).filter(e -> e instanceof AuditEvent.ToolOutcome)
                .map(e -> (AuditEvent.ToolOutcome) e).toList();
    }

    @Override
    public void close() {
        moat.close();
    }
}
