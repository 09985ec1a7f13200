package dev.moat.langchain4j.internal;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.guard.CallCheck;
import dev.moat.guard.CallContext;
import dev.moat.langchain4j.Approval;
import dev.moat.langchain4j.ApprovalRequest;
import dev.moat.langchain4j.Approver;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.tool.ToolPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The checks between the PEP's allow and the tool, on the signed argument bytes: the request names
 * the guarded tool, the arguments are a well-formed object, every argument rule holds (core's
 * {@link ToolPolicy}), (when required) a human approved exactly these arguments, and last the
 * call's budgets have room (spent only when everything else passed). An approval is recorded in
 * the audit log before the tool runs; a refusal is returned and audited by the guard.
 */
public final class ToolCallCheck implements CallCheck {
    private final ToolPolicy policy;
    private final String requestedTool;
    private final String malformed;
    private final Approver approver;
    private final AuditLog audit;
    private final CallContext context;
    private final String guardedTool;

    /** {@code malformed} is the reason the arguments could not be canonicalised, or {@code null}. */
    public ToolCallCheck(ToolPolicy policy, String guardedTool, String requestedTool, String malformed, Approver approver,
                         AuditLog audit, CallContext context) {
        this.guardedTool = guardedTool;
        this.context = context;
        this.policy = policy;
        this.requestedTool = requestedTool;
        this.malformed = malformed;
        this.approver = approver;
        this.audit = audit;
    }

    @Override
    public Failure check(Decision.Allow allow) throws Exception {
        if (!guardedTool.equals(requestedTool)) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "request names tool '" + requestedTool
                    + "' but this executor guards '" + guardedTool + "'");
        }
        if (malformed != null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, malformed);
        }
        byte[] body = allow.message().body();
        Failure broken = policy.checkArguments(body);
        if (broken == null && policy.approvalRequired()) {
            broken = approval(allow.message(), body);
        }
        return broken != null ? broken : policy.spendBudgets(body, context, allow);
    }

    private Failure approval(AuthenticatedMessage message, byte[] body) throws Exception {
        String hash = Base64Url.encode(Sha256.hash(body));
        ApprovalRequest request = new ApprovalRequest(message.sender().value(), guardedTool, message.resource(),
                message.action(), new String(body, StandardCharsets.UTF_8), hash, message.id());
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
