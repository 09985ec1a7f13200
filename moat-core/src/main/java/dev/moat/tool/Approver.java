package dev.moat.tool;

/**
 * A human (or a process standing in for one) who approves tool calls marked
 * {@link MoatTool#approval()} or {@link ToolPolicy.Builder#requireApproval()}. It sees the exact canonical arguments that will run and answers with
 * {@link ApprovalRequest#approve} or {@link ApprovalRequest#refuse}. An approval names the
 * arguments' hash: if that hash is not the one of the call, the call is denied. Returning
 * {@code null} or throwing denies the call too.
 */
@FunctionalInterface
public interface Approver {
    /** Refuses everything; the default when approval is required but nobody is configured. */
    Approver REFUSE_ALL = request -> request.refuse("moat", "no approver is configured");

    Approval review(ApprovalRequest request) throws Exception;
}
