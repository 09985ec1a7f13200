package dev.moat.tool;

import java.util.Objects;

/** An approver's answer. Create through {@link ApprovalRequest#approve} or {@link ApprovalRequest#refuse}. */
public sealed interface Approval {

    /** Who answered. */
    String approver();

    /** Approved: the call with arguments whose SHA-256 (base64url) is {@code argumentsSha256} may run. */
    record Approved(String approver, String argumentsSha256) implements Approval {
        public Approved {
            Objects.requireNonNull(approver, "approver");
            Objects.requireNonNull(argumentsSha256, "argumentsSha256");
        }
    }

    /** Refused, with a reason the model will read. */
    record Refused(String approver, String reason) implements Approval {
        public Refused {
            Objects.requireNonNull(approver, "approver");
            reason = reason == null ? "" : reason;
        }
    }
}
