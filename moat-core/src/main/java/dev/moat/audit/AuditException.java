package dev.moat.audit;

import dev.moat.MoatException;
import java.util.Objects;

/**
 * The audit log could not record an entry, or refuses to open. Callers on the security path must
 * treat it as a denial: an action that cannot be audited is not allowed.
 */
public final class AuditException extends MoatException {
    private static final long serialVersionUID = 1L;

    /** Why. Branch on this, never on the message. */
    public enum Kind {
        /** The store failed to write or sync (I/O error, full disk). The log stays failed until reopened. */
        STORE_FAILED,
        /** An earlier store failure made this log unusable; reopen it. */
        FAILED_EARLIER,
        /** The log was closed. */
        CLOSED,
        /** The existing log is damaged or inconsistent (see {@link #breakage()}); it was not opened. */
        CORRUPT,
        /** The existing log belongs to another key. */
        KEY_MISMATCH,
        /** The encoded entry is larger than {@link AuditEntry#MAX_LINE_BYTES}. */
        OVERSIZED_ENTRY,
        /**
         * The store's backend is unreachable for now (a database restarting). The entry keeps its
         * place in the chain and is written when the backend is back; the log stays usable, but the
         * caller must deny this action.
         */
        UNAVAILABLE,
        /** The thread was interrupted while waiting for durability; the entry may or may not be durable. */
        INTERRUPTED,
        /**
         * The existing log has more entries after its last signed checkpoint than a crash can leave,
         * or they do not chain from that checkpoint (see {@link #breakage()}, kind
         * {@link AuditBreak.Kind#UNCHECKPOINTED_TAIL}): its history may have been rewritten while
         * Moat was stopped. It was not opened.
         */
        UNANCHORED
    }

    private final Kind kind;
    private final transient AuditBreak breakage;

    public AuditException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public AuditException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    public AuditException(Kind kind, String message, AuditBreak breakage, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.breakage = breakage;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#CORRUPT} and {@link Kind#UNANCHORED}: what is wrong with the stored log; otherwise {@code null}. */
    public AuditBreak breakage() {
        return breakage;
    }
}
