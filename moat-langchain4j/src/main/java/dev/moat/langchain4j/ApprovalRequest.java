package dev.moat.langchain4j;

/**
 * What an {@link Approver} is asked: which agent wants to run which tool, with exactly these
 * canonical JSON arguments (the bytes that were signed and will run), their SHA-256 (base64url),
 * and the id of the signed message, which the audit log records with the answer.
 */
public record ApprovalRequest(String agent, String tool, String resource, String action, String arguments,
                              String argumentsSha256, String messageId) {

    /** Approves these exact arguments. */
    public Approval approve(String approver) {
        return new Approval.Approved(approver, argumentsSha256);
    }

    public Approval refuse(String approver, String reason) {
        return new Approval.Refused(approver, reason);
    }
}
