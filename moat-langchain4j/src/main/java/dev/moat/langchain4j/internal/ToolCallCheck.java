package dev.moat.langchain4j.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.guard.CallCheck;
import dev.moat.langchain4j.Approval;
import dev.moat.langchain4j.ApprovalRequest;
import dev.moat.langchain4j.Approver;
import dev.moat.langchain4j.ToolPolicy;
import dev.moat.langchain4j.constraint.ArgumentConstraint;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

/**
 * The checks between the PEP's allow and the tool, on the signed argument bytes: the request names
 * the guarded tool, the arguments are a well-formed object, every argument rule holds, and (when
 * required) a human approved exactly these arguments. An approval is recorded in the audit log
 * before the tool runs; a refusal is returned and audited by the guard.
 */
public final class ToolCallCheck implements CallCheck {
    private final ToolPolicy policy;
    private final String requestedTool;
    private final String malformed;
    private final Approver approver;
    private final AuditLog audit;

    /** {@code malformed} is the reason the arguments could not be canonicalised, or {@code null}. */
    public ToolCallCheck(ToolPolicy policy, String requestedTool, String malformed, Approver approver, AuditLog audit) {
        this.policy = policy;
        this.requestedTool = requestedTool;
        this.malformed = malformed;
        this.approver = approver;
        this.audit = audit;
    }

    @Override
    public Failure check(Decision.Allow allow) throws Exception {
        if (!policy.tool().equals(requestedTool)) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "request names tool '" + requestedTool
                    + "' but this executor guards '" + policy.tool() + "'");
        }
        if (malformed != null) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, malformed);
        }
        byte[] body = allow.message().body();
        ObjectNode arguments = CanonicalArguments.parse(body);
        Failure broken = constraints(arguments);
        if (broken != null) {
            return broken;
        }
        return policy.approvalRequired() ? approval(allow.message(), body) : null;
    }

    private Failure constraints(ObjectNode arguments) {
        for (Map.Entry<String, List<ArgumentConstraint>> e : policy.constraints().entrySet()) {
            JsonNode value = arguments.get(e.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            for (ArgumentConstraint rule : e.getValue()) {
                String violation = rule.violation(value);
                if (violation != null) {
                    return Failure.of(ReasonCode.ARGUMENT_REJECTED, "argument '" + e.getKey() + "' " + violation);
                }
            }
        }
        return null;
    }

    private Failure approval(AuthenticatedMessage message, byte[] body) throws Exception {
        String hash = Base64Url.encode(Sha256.hash(body));
        ApprovalRequest request = new ApprovalRequest(message.sender().value(), policy.tool(), message.resource(),
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
