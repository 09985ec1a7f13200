package dev.moat.audit;

import dev.moat.crypto.ConstantTime;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The resume rule for a JSONL log: the entries after its last signed checkpoint are few enough for
 * a crash to have left them (at most {@code maxUnanchored}), and they chain from the checkpointed
 * head (the entry the checkpoint covers still has the signed hash, or, with no checkpoint, the
 * first entry starts at genesis). Without this, an attacker with write access while Moat is
 * stopped could rewrite the history, recompute the hashes, drop the checkpoints, and have the next
 * run sign the forgery. Reads at most {@code maxUnanchored + 1} lines backwards from the end.
 */
final class AnchorCheck {
    private AnchorCheck() {}

    /**
     * Returns how many entries follow the checkpoint, or throws {@link AuditException.Kind#UNANCHORED}.
     * With {@code maxUnanchored == Long.MAX_VALUE} (the explicit insecure override) only the count
     * is returned and nothing beyond {@link TailCheck} is read.
     */
    static long check(FileChannel log, TailCheck tail, long maxUnanchored, String logName) throws IOException {
        AuditCheckpoint cp = tail.lastCheckpoint();
        long anchored = cp == null ? 0 : cp.count();
        long gap = tail.count() - anchored;
        if (gap == 0 || maxUnanchored == Long.MAX_VALUE) {
            return gap;
        }
        if (gap > maxUnanchored) {
            throw unanchored(logName, anchored, tail.count(), gap + " entries follow the last signed checkpoint (at "
                    + anchored + " of " + tail.count() + " entries), a crash leaves at most " + maxUnanchored);
        }
        // walk back from the head: each line is the predecessor of the one after it
        long end = log.size() - 1; // the newline ending the last line
        AuditEntry later = null;
        for (long i = tail.count() - 1; i >= anchored - 1 && i >= 0; i--) {
            long start = FileTail.lastNewline(log, end, AuditEntry.MAX_LINE_BYTES + 1L);
            if (start == FileTail.TOO_FAR || (start < 0 && i > 0)) {
                throw unanchored(logName, anchored, tail.count(), "entry " + i + " is not where the chain puts it");
            }
            Object parsed = TailCheck.entryAt(log, start + 1, end);
            if (!(parsed instanceof AuditEntry e) || e.index() != i
                    || (later != null && !ConstantTime.equal(later.previousHashRef(), e.hashRef()))) {
                throw unanchored(logName, anchored, tail.count(), "entries after the last checkpoint do not chain back to it (at index " + i + ")");
            }
            later = e;
            end = start;
        }
        byte[] anchor = cp == null ? AuditEntry.GENESIS_HASH : cp.headRef();
        byte[] found = anchored == 0 ? later.previousHashRef() : later.hashRef();
        if (!ConstantTime.equal(anchor, found)) {
            throw unanchored(logName, anchored, tail.count(), "the entry the last checkpoint covers is not the signed one");
        }
        return gap;
    }

    private static AuditException unanchored(String logName, long anchored, long count, String detail) {
        AuditBreak b = new AuditBreak(AuditBreak.Kind.UNCHECKPOINTED_TAIL, AuditBreak.Source.LOG, anchored, 0, detail);
        return new AuditException(AuditException.Kind.UNANCHORED, "audit log " + logName + " is not anchored by its checkpoints: "
                + detail + "; its history may have been rewritten while Moat was stopped. Verify it with the log key; to resume anyway, "
                + "open with AuditLog.Builder.insecureResumeUnanchored(), which is recorded in the log", b, null);
    }
}
