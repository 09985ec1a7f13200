package dev.moat.tool;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Human approval of one call, after the PEP's allow and the tool's argument rules: the approver
 * sees the exact signed arguments and their SHA-256, and an approval counts only for that hash. An
 * approval is recorded in the audit log before the tool runs; a refusal, a missing answer, or an
 * approval of other arguments denies ({@code not_approved}); an approver that throws denies too
 * (the guard turns it into {@code internal}). Used only through {@link ToolPolicy#check(dev.moat.guard.CallContext,
 * String, Approver, AuditLog)}, so every adapter approves the same way.
 */
final class ApprovalCheck {
    private ApprovalCheck() {
    }

    static Failure check(String tool, Approver approver, AuditLog audit, Decision.Allow allow) throws Exception {
        AuthenticatedMessage message = allow.message();
        byte[] body = message.body();
        String hash = Base64Url.encode(Sha256.hash(body));
        ApprovalRequest request = new ApprovalRequest(message.sender().value(), tool, message.resource(), message.action(),
                new String(body, StandardCharsets.UTF_8), hash, message.id());
        Approval answer = approver.review(request);
        if (answer instanceof Approval.Approved ok) {
            if (!MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII), ok.argumentsSha256().getBytes(StandardCharsets.US_ASCII))) {
                return Failure.of(ReasonCode.NOT_APPROVED, "approval by " + ok.approver()
                        + " is for other arguments (sha256 " + ok.argumentsSha256() + "), not " + hash);
            }
            audit.append(new AuditEvent.Decision(message.sender().value(), message.resource(), message.action(), true,
                    Stage.GUARD.code(), null, "approved by " + ok.approver() + "; arguments sha256 " + hash, message.id(), null));
            return null;
        }
        if (answer instanceof Approval.Refused no) {
            return Failure.of(ReasonCode.NOT_APPROVED, "refused by " + no.approver()
                    + (no.reason().isEmpty() ? "" : ": " + no.reason()) + "; arguments sha256 " + hash);
        }
        return Failure.of(ReasonCode.NOT_APPROVED, "the approver gave no answer; arguments sha256 " + hash);
    }
}
