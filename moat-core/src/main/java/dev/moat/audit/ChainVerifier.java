package dev.moat.audit;

import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Ed25519PublicKey;

/**
 * The verification state machine, independent of where entries come from. Feed entries in file
 * order with {@link #accept}; checkpoints are pulled from a {@link CheckpointSource} as the chain
 * reaches the count each one covers, so memory stays constant.
 */
final class ChainVerifier {

    /** Supplies checkpoints in stored order; signature checks happen in {@link ChainVerifier}. */
    interface CheckpointSource {
        /** The next checkpoint, or null at the end; throws {@link BreakException} on a malformed line. */
        AuditCheckpoint next();

        /** 1-based line of the checkpoint last returned. */
        long line();

        /** Non-null when the source ended with a torn line (reported only after the log itself). */
        AuditBreak tornTail();
    }

    /** Carries an {@link AuditBreak} out of a source. */
    static final class BreakException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient AuditBreak breakage;

        BreakException(AuditBreak breakage) {
            super(breakage.kind().name(), null, false, false);
            this.breakage = breakage;
        }
    }

    private final Ed25519PublicKey key;
    private final CheckpointSource checkpoints;
    private long expected;
    private byte[] head = AuditEntry.GENESIS_HASH;
    private AuditCheckpoint pending;
    private boolean checkpointsDone;
    private long verifiedCheckpoints;
    private long lastCheckpointCount = -1;

    ChainVerifier(Ed25519PublicKey key, CheckpointSource checkpoints) {
        this.key = key;
        this.checkpoints = checkpoints;
    }

    /** Consumes checkpoints that cover zero entries; call before the first entry. */
    AuditBreak start() {
        return advanceCheckpoints();
    }

    /** Checks the next entry (its stored hash against {@code computedHash}); null when fine. */
    AuditBreak accept(AuditEntry e, byte[] computedHash, long line) {
        if (e.index() != expected) {
            return new AuditBreak(AuditBreak.Kind.INDEX_GAP, AuditBreak.Source.LOG, expected, line,
                    "expected index " + expected + ", found " + e.index());
        }
        if (!ConstantTime.equal(e.previousHashRef(), head)) {
            return new AuditBreak(AuditBreak.Kind.PREVIOUS_HASH_MISMATCH, AuditBreak.Source.LOG, expected, line,
                    "previous hash is not the hash of entry " + (expected - 1));
        }
        if (!ConstantTime.equal(e.hashRef(), computedHash)) {
            return new AuditBreak(AuditBreak.Kind.HASH_MISMATCH, AuditBreak.Source.LOG, expected, line,
                    "stored hash does not match the entry's content");
        }
        head = e.hashRef();
        expected++;
        return advanceCheckpoints();
    }

    /**
     * After the last complete entry. {@code logTorn} is the log's torn-tail break, if any.
     * Order of precedence: truncation (a checkpoint beyond the log), torn log tail, torn checkpoint
     * tail, empty log, unsigned head (only when required).
     */
    AuditVerification finish(AuditBreak logTorn, boolean requireCheckpointAtHead, AuditVerification.KeyTrust trust) {
        if (pending != null) {
            return broken(new AuditBreak(AuditBreak.Kind.TRUNCATED, AuditBreak.Source.LOG, expected, 0,
                    "a checkpoint covers " + pending.count() + " entries, the log has " + expected));
        }
        if (logTorn != null) {
            return broken(logTorn);
        }
        AuditBreak cpTorn = checkpoints.tornTail();
        if (cpTorn != null) {
            return broken(cpTorn);
        }
        if (expected == 0) {
            return broken(new AuditBreak(AuditBreak.Kind.EMPTY, AuditBreak.Source.LOG, 0, 0, "the log has no entries"));
        }
        if (requireCheckpointAtHead && lastCheckpointCount != expected) {
            return broken(new AuditBreak(AuditBreak.Kind.UNCHECKPOINTED_TAIL, AuditBreak.Source.CHECKPOINTS,
                    Math.max(0, lastCheckpointCount), 0, "the last checkpoint does not cover the head"));
        }
        long uncovered = expected - Math.max(0, lastCheckpointCount);
        return new AuditVerification.Intact(expected, verifiedCheckpoints, head, uncovered, trust);
    }

    long entriesVerified() {
        return expected;
    }

    AuditVerification broken(AuditBreak b) {
        return new AuditVerification.Broken(b, expected);
    }

    private AuditBreak advanceCheckpoints() {
        while (true) {
            if (pending == null) {
                if (checkpointsDone) {
                    return null;
                }
                AuditCheckpoint next;
                try {
                    next = checkpoints.next();
                } catch (BreakException e) {
                    return e.breakage;
                }
                if (next == null) {
                    checkpointsDone = true;
                    return null;
                }
                long covered = Math.max(0, next.count() - 1);
                if (!next.verify(key)) {
                    return new AuditBreak(AuditBreak.Kind.CHECKPOINT_SIGNATURE, AuditBreak.Source.CHECKPOINTS, covered,
                            checkpoints.line(), "checkpoint is not signed by the log key");
                }
                if (next.count() < expected || next.count() < lastCheckpointCount) {
                    return new AuditBreak(AuditBreak.Kind.CHECKPOINT_MISMATCH, AuditBreak.Source.CHECKPOINTS, covered,
                            checkpoints.line(), "checkpoints are out of order");
                }
                pending = next;
            }
            if (pending.count() > expected) {
                return null; // wait for more entries
            }
            if (!ConstantTime.equal(pending.headRef(), head)) {
                return new AuditBreak(AuditBreak.Kind.CHECKPOINT_MISMATCH, AuditBreak.Source.CHECKPOINTS,
                        Math.max(0, pending.count() - 1), checkpoints.line(), "checkpoint head differs from the chain");
            }
            verifiedCheckpoints++;
            lastCheckpointCount = pending.count();
            pending = null;
        }
    }
}
