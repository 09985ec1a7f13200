package dev.moat.tool;

import dev.moat.internal.DisplayText;

/**
 * What an {@link Approver} is asked: which agent wants to run which tool, with exactly these
 * canonical JSON arguments (the bytes that were signed and will run), their SHA-256 (base64url),
 * and the id of the signed message, which the audit log records with the answer.
 *
 * <p>{@link #arguments()} is raw and model-controlled: show a human {@link #prompt()} or
 * {@link #displayArguments()} instead, where control characters and invisible or bidirectional
 * characters (which can display an IBAN reversed) are escaped.
 */
public record ApprovalRequest(String agent, String tool, String resource, String action, String arguments,
                              String argumentsSha256, String messageId) {

    /** The arguments with control, invisible and bidirectional characters escaped ({@code \u202e}). */
    public String displayArguments() {
        return DisplayText.escape(arguments);
    }

    /** True when the arguments hold characters that reorder or hide what is displayed. */
    public boolean hasHiddenCharacters() {
        return arguments != null && DisplayText.needsEscape(arguments);
    }

    /** A prompt for a human: everything escaped, with a warning when the arguments hide or reorder text. */
    public String prompt() {
        StringBuilder sb = new StringBuilder();
        sb.append("agent ").append(DisplayText.escape(agent)).append(" asks to run ").append(DisplayText.escape(tool))
                .append(" (").append(DisplayText.escape(action)).append(' ').append(DisplayText.escape(resource)).append(")\n")
                .append("arguments: ").append(displayArguments()).append('\n')
                .append("sha256: ").append(argumentsSha256);
        if (DisplayText.hasBidiControl(arguments)) {
            sb.append("\nWARNING: the arguments contain bidirectional control characters (shown escaped above): "
                    + "displayed raw, they would show text in another order than it is");
        } else if (hasHiddenCharacters()) {
            sb.append("\nWARNING: the arguments contain control or invisible characters (shown escaped above)");
        }
        return sb.toString();
    }

    /** Approves these exact arguments. */
    public Approval approve(String approver) {
        return new Approval.Approved(approver, argumentsSha256);
    }

    public Approval refuse(String approver, String reason) {
        return new Approval.Refused(approver, reason);
    }
}
