package dev.moat.audit;

import java.util.Objects;

/**
 * Where and how an audit log failed verification. {@code index} is the first entry index that can
 * no longer be trusted (for checkpoint problems, the last index the checkpoint covers; for a torn
 * tail or truncation, the count of complete entries); {@code line} is the 1-based line number in
 * the file named by {@code source} (0 when not about a line). {@code detail} is for humans only.
 */
public record AuditBreak(Kind kind, Source source, long index, long line, String detail) {

    /** What broke. Tests and callers branch on this, never on {@code detail}. */
    public enum Kind {
        /** A line is not a canonical, well-formed entry or checkpoint (or exceeds the line limit). */
        MALFORMED_LINE,
        /** An entry's stored hash is not the hash of its content. */
        HASH_MISMATCH,
        /** An entry's previous hash is not the hash of the entry before it. */
        PREVIOUS_HASH_MISMATCH,
        /** An entry's index is not the next one (deleted, duplicated or reordered lines). */
        INDEX_GAP,
        /** The file ends with an incomplete line (a crash during a write, or a cut file). */
        TORN_TAIL,
        /** A checkpoint's signature does not verify with the log key. */
        CHECKPOINT_SIGNATURE,
        /** A checkpoint's head hash differs from the entry it covers, or checkpoints are out of order. */
        CHECKPOINT_MISMATCH,
        /** The log has fewer entries than a checkpoint says it had. */
        TRUNCATED,
        /** Entries after the last checkpoint (reported only when a checkpoint at the head is required). */
        UNCHECKPOINTED_TAIL,
        /** The log holds no entries. */
        EMPTY,
        /** A required file (log, checkpoints, key) does not exist. */
        MISSING,
        /** A file could not be read. */
        UNREADABLE
    }

    /** Which file the problem is in. */
    public enum Source {
        LOG, CHECKPOINTS, KEY
    }

    public AuditBreak {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return kind + " in " + source + " at index " + index + (line > 0 ? " (line " + line + ")" : "") + (detail.isEmpty() ? "" : ": " + detail);
    }
}
