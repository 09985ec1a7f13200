package dev.moat.guard;

import dev.moat.audit.ArgumentsMode;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Checked;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageHeader;
import dev.moat.pep.Decision;
import dev.moat.pep.DecisionListener;
import java.util.Objects;

/**
 * Writes every PEP decision to the audit log as a bounded entry: the message id and the digests of
 * the signed header, the payload and the chain (never the raw envelope), and the arguments as the
 * {@link ArgumentsMode} says. Entries stay small whatever the call's size, so a denied oversized
 * call is still recorded. If the append fails the PEP denies the call.
 */
public final class AuditingListener implements DecisionListener {
    private final AuditLog log;
    private final ArgumentsMode arguments;

    public AuditingListener(AuditLog log, ArgumentsMode arguments) {
        this.log = Objects.requireNonNull(log, "log");
        this.arguments = Objects.requireNonNull(arguments, "arguments");
    }

    /** Keeps only the arguments' digest ({@link ArgumentsMode#HASH}). */
    public AuditingListener(AuditLog log) {
        this(log, ArgumentsMode.HASH);
    }

    @Override
    public void onDecision(MessageEnvelope envelope, Decision decision) {
        onDecision(envelope, decision, null);
    }

    /** Records the decision with the call's end user (bounded and display-safe, see {@link AuditEvent.Decision#user(String)}). */
    @Override
    public void onDecision(MessageEnvelope envelope, Decision decision, String user) {
        MessageHeader h = envelope == null ? null : envelope.peekHeader() instanceof Checked.Ok<MessageHeader> ok ? ok.value() : null;
        String agent = h == null ? null : h.sender().value();
        String resource = h == null ? null : h.resource();
        String action = h == null ? null : h.action();
        String messageId = h == null ? null : h.id();
        byte[] headerBytes = envelope == null ? null : envelope.header();
        byte[] payload = h == null ? null : h.bodySha256();
        byte[] chain = h == null ? null : h.chainSha256();
        byte[] body = envelope != null && arguments == ArgumentsMode.FULL ? envelope.body() : null;
        if (decision instanceof Decision.Deny d) {
            log.append(AuditEvent.Decision.forMessage(agent, resource, action, false, d.stage().code(),
                    d.code().code(), d.failure().detail(), messageId, headerBytes, payload, chain, body, arguments).withUser(user));
        } else if (decision instanceof Decision.Allow a && a.wouldDeny() != null) { // audit-only: allowed, would deny
            Decision.Deny d = a.wouldDeny();
            log.append(AuditEvent.Decision.forMessage(agent, resource, action, true, d.stage().code(),
                    d.code().code(), d.failure().detail(), messageId, headerBytes, payload, chain, body, arguments, true).withUser(user));
        } else {
            log.append(AuditEvent.Decision.forMessage(agent, resource, action, true, null, null, null, messageId,
                    headerBytes, payload, chain, body, arguments).withUser(user));
        }
    }
}
