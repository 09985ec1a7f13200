package dev.moat.audit;

import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Ed25519PublicKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.time.Instant;

/**
 * The checks made when a JSONL log is reopened, reading only the end of each file: the last two
 * entries are well formed, hash correctly and chain; the last checkpoint is signed by the log key,
 * not ahead of the log, and agrees with the entry it covers when that entry is one of those two.
 * Both files must already end with a newline. {@link AnchorCheck} then checks the entries after
 * that checkpoint.
 */
record TailCheck(long count, byte[] headHash, Instant lastTime, AuditCheckpoint lastCheckpoint, AuditBreak breakage) {

    static TailCheck of(FileChannel log, FileChannel checkpoints, Ed25519PublicKey key) throws IOException {
        long size = log.size();
        AuditEntry last = null;
        AuditEntry previous = null;
        if (size > 0) {
            long start = FileTail.lastNewline(log, size - 1, AuditEntry.MAX_LINE_BYTES + 1L);
            if (start == FileTail.TOO_FAR) {
                return broken(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, 0, "last line exceeds the line limit");
            }
            Object parsed = entryAt(log, start + 1, size - 1);
            if (parsed instanceof AuditBreak b) {
                return new TailCheck(0, null, null, null, b);
            }
            last = (AuditEntry) parsed;
            if (start < 0) {
                if (last.index() != 0) {
                    return broken(AuditBreak.Kind.INDEX_GAP, AuditBreak.Source.LOG, 0, "single entry is not index 0");
                }
                if (!ConstantTime.equal(last.previousHashRef(), AuditEntry.GENESIS_HASH)) {
                    return broken(AuditBreak.Kind.PREVIOUS_HASH_MISMATCH, AuditBreak.Source.LOG, 0, "first entry does not start at genesis");
                }
            } else {
                long before = FileTail.lastNewline(log, start, AuditEntry.MAX_LINE_BYTES + 1L);
                if (before == FileTail.TOO_FAR) {
                    return broken(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, last.index() - 1, "line exceeds the line limit");
                }
                parsed = entryAt(log, before + 1, start);
                if (parsed instanceof AuditBreak b) {
                    return new TailCheck(0, null, null, null, b);
                }
                previous = (AuditEntry) parsed;
                if (last.index() != previous.index() + 1) {
                    return broken(AuditBreak.Kind.INDEX_GAP, AuditBreak.Source.LOG, previous.index() + 1, "last entries are not consecutive");
                }
                if (!ConstantTime.equal(last.previousHashRef(), previous.hashRef())) {
                    return broken(AuditBreak.Kind.PREVIOUS_HASH_MISMATCH, AuditBreak.Source.LOG, last.index(), "last entries do not chain");
                }
            }
        }
        long count = last == null ? 0 : last.index() + 1;
        byte[] head = last == null ? AuditEntry.GENESIS_HASH : last.hashRef();
        Object cp = checkLastCheckpoint(checkpoints, key, count, head, previous);
        if (cp instanceof AuditBreak cpBreak) {
            return new TailCheck(0, null, null, null, cpBreak);
        }
        return new TailCheck(count, head, last == null ? null : last.time(), (AuditCheckpoint) cp, null);
    }

    /** The last checkpoint (null when there is none), or the {@link AuditBreak} it causes. */
    private static Object checkLastCheckpoint(FileChannel ch, Ed25519PublicKey key, long count, byte[] head,
                                                  AuditEntry previous) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return null;
        }
        long start = FileTail.lastNewline(ch, size - 1, AuditCheckpoint.MAX_LINE_BYTES + 1L);
        if (start == FileTail.TOO_FAR) {
            return new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.CHECKPOINTS, count, 0, "last checkpoint line too long");
        }
        AuditCheckpoint cp;
        try {
            cp = AuditCheckpoint.parse(FileTail.read(ch, start + 1, (int) (size - 1 - (start + 1))));
        } catch (RuntimeException e) {
            return new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.CHECKPOINTS, count, 0, String.valueOf(e.getMessage()));
        }
        long covered = Math.max(0, cp.count() - 1);
        if (!cp.verify(key)) {
            return new AuditBreak(AuditBreak.Kind.CHECKPOINT_SIGNATURE, AuditBreak.Source.CHECKPOINTS, covered, 0, "last checkpoint is not signed by the log key");
        }
        if (cp.count() > count) {
            return new AuditBreak(AuditBreak.Kind.TRUNCATED, AuditBreak.Source.LOG, count, 0,
                    "checkpoint covers " + cp.count() + " entries, log has " + count);
        }
        byte[] expected = null;
        if (cp.count() == count) {
            expected = head;
        } else if (previous != null && cp.count() == count - 1) {
            expected = previous.hashRef();
        } else if (cp.count() == 0) {
            expected = AuditEntry.GENESIS_HASH;
        }
        if (expected != null && !ConstantTime.equal(expected, cp.headRef())) {
            return new AuditBreak(AuditBreak.Kind.CHECKPOINT_MISMATCH, AuditBreak.Source.CHECKPOINTS, covered, 0, "last checkpoint disagrees with the log");
        }
        return cp;
    }

    /** The entry in bytes [from, to) (to = position of its newline), or the {@link AuditBreak} it causes. */
    static Object entryAt(FileChannel ch, long from, long to) throws IOException {
        byte[] line = FileTail.read(ch, from, (int) (to - from));
        AuditEntryCodec.Parsed p;
        try {
            p = AuditEntryCodec.parse(line, line.length);
        } catch (RuntimeException e) { // Rejection or anything unforeseen: the line is malformed
            return new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, 0, 0, String.valueOf(e.getMessage()));
        }
        if (!ConstantTime.equal(p.computedHash(), p.entry().hashRef())) {
            return new AuditBreak(AuditBreak.Kind.HASH_MISMATCH, AuditBreak.Source.LOG, p.entry().index(), 0, "entry hash does not match its content");
        }
        return p.entry();
    }

    private static TailCheck broken(AuditBreak.Kind kind, AuditBreak.Source source, long index, String detail) {
        return new TailCheck(0, null, null, null, new AuditBreak(kind, source, index, 0, detail));
    }
}
