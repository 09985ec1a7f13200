package dev.moat.langchain4j.internal;

import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallCheck;
import dev.moat.guard.CallContext;
import dev.moat.pep.Decision;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;

/**
 * The checks between the PEP's allow and the tool: the request names the guarded tool, then core's
 * one tool check ({@link ToolPolicy#check(CallContext, String, Approver, AuditLog)}: argument rules,
 * human approval of exactly the signed arguments when required, budgets last).
 */
public final class ToolCallCheck implements CallCheck {
    private final String requestedTool;
    private final String guardedTool;
    private final CallCheck policyCheck;

    /** {@code malformed} is the reason the arguments could not be canonicalised, or {@code null}. */
    public ToolCallCheck(ToolPolicy policy, String guardedTool, String requestedTool, String malformed, Approver approver,
                         AuditLog audit, CallContext context) {
        this.guardedTool = guardedTool;
        this.requestedTool = requestedTool;
        this.policyCheck = policy.check(context, malformed, approver, audit);
    }

    @Override
    public Failure check(Decision.Allow allow) throws Exception {
        if (!guardedTool.equals(requestedTool)) {
            return Failure.of(ReasonCode.ARGUMENT_REJECTED, "request names tool '" + requestedTool
                    + "' but this executor guards '" + guardedTool + "'");
        }
        return policyCheck.check(allow);
    }
}
