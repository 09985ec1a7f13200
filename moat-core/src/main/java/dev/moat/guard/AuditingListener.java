package dev.moat.guard;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Checked;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageHeader;
import dev.moat.pep.Decision;
import dev.moat.pep.DecisionListener;

/**
 * Writes every PEP decision to the audit log, with the signed envelope so the record can be
 * verified offline. If the append fails the PEP denies the call.
 */
public final class AuditingListener implements DecisionListener {
    private final AuditLog log;

    public AuditingListener(AuditLog log) {
        this.log = log;
    }

    @Override
    public void onDecision(MessageEnvelope envelope, Decision decision) {
        MessageHeader h = envelope == null ? null : envelope.peekHeader() instanceof Checked.Ok<MessageHeader> ok ? ok.value() : null;
        String agent = h == null ? null : h.sender().value();
        String resource = h == null ? null : h.resource();
        String action = h == null ? null : h.action();
        String messageId = h == null ? null : h.id();
        String signed = envelope == null ? null : envelope.toJson();
        if (decision instanceof Decision.Deny d) {
            log.append(new AuditEvent.Decision(agent, resource, action, false, d.stage().code(),
                    d.code().code(), d.failure().detail(), messageId, signed));
        } else {
            log.append(new AuditEvent.Decision(agent, resource, action, true, null, null, null, messageId, signed));
        }
    }
}
