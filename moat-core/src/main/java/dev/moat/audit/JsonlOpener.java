package dev.moat.audit;

import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.internal.AtomicFiles;
import dev.moat.internal.Rejection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the files of a {@link JsonlAuditStore}: creates a new log with its sidecars, or resumes an
 * existing one after checking its key file, its tails (cutting a torn line only when allowed) and,
 * optionally, the whole log, and that the entries after the last checkpoint are anchored by it
 * ({@link AnchorCheck}). On return the fields hold the open files and the writer lock; the
 * caller releases them if this throws.
 */
final class JsonlOpener {
    private final Path logPath;
    private final Path checkpointsPath;
    private final Path keyPath;
    private final boolean repairTornTail;
    private final boolean verifyOnOpen;

    RandomAccessFile log;
    RandomAccessFile checkpoints;
    WriterLock writerLock;

    JsonlOpener(Path logPath, Path checkpointsPath, Path keyPath, boolean repairTornTail, boolean verifyOnOpen) {
        this.logPath = logPath;
        this.checkpointsPath = checkpointsPath;
        this.keyPath = keyPath;
        this.repairTornTail = repairTornTail;
        this.verifyOnOpen = verifyOnOpen;
    }

    AuditStore.Head open(Ed25519PublicKey key, long maxUnanchored) throws IOException {
        Files.createDirectories(logPath.toAbsolutePath().getParent());
        writerLock = WriterLock.acquire(logPath);
        return Files.exists(logPath) ? resume(key, maxUnanchored) : create(key);
    }

    private AuditStore.Head create(Ed25519PublicKey key) throws IOException {
        // Creation order is key, checkpoints, log: a log file implies both sidecars. Sidecars without
        // a log and with no checkpoint are an interrupted creation and are replaced; a checkpoint
        // without its log means the log was removed.
        if (Files.exists(checkpointsPath) && Files.size(checkpointsPath) > 0) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.LOG, 0, 0,
                    "log file is missing but checkpoints of it exist"));
        }
        Files.deleteIfExists(checkpointsPath);
        Files.deleteIfExists(keyPath);
        Path dir = logPath.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        AtomicFiles.writeOwnerOnly(keyPath, LogKeyFile.encode(key));
        AtomicFiles.createOwnerOnly(checkpointsPath);
        AtomicFiles.createOwnerOnly(logPath);
        AtomicFiles.fsyncDirectory(dir);
        openFiles();
        return new AuditStore.Head(0, AuditEntry.GENESIS_HASH, null, null);
    }

    private AuditStore.Head resume(Ed25519PublicKey key, long maxUnanchored) throws IOException {
        checkKeyFile(key);
        if (!Files.exists(checkpointsPath)) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.CHECKPOINTS, 0, 0, "checkpoint file is missing"));
        }
        openFiles();
        String repairs = null;
        String r1 = cutTornTail(log, AuditBreak.Source.LOG, AuditEntry.MAX_LINE_BYTES);
        String r2 = cutTornTail(checkpoints, AuditBreak.Source.CHECKPOINTS, AuditCheckpoint.MAX_LINE_BYTES);
        log.seek(log.length());
        checkpoints.seek(checkpoints.length());
        if (r1 != null || r2 != null) {
            repairs = r1 == null ? r2 : r2 == null ? r1 : r1 + "; " + r2;
        }
        if (verifyOnOpen) {
            AuditVerification v = AuditVerifier.forFile(logPath).publicKey(key).build().verify();
            if (v instanceof AuditVerification.Broken b && b.kind() != AuditBreak.Kind.EMPTY) {
                throw corrupt(b.breakage());
            }
        }
        TailCheck tail = TailCheck.of(log.getChannel(), checkpoints.getChannel(), key);
        if (tail.breakage() != null) {
            throw corrupt(tail.breakage());
        }
        long unanchored = AnchorCheck.check(log.getChannel(), tail, maxUnanchored, String.valueOf(logPath.getFileName()));
        return new AuditStore.Head(tail.count(), tail.headHash(), tail.lastTime(), repairs, unanchored);
    }

    private void checkKeyFile(Ed25519PublicKey key) throws IOException {
        if (!Files.exists(keyPath)) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.KEY, 0, 0, "key file is missing"));
        }
        Ed25519PublicKey stored;
        try {
            stored = LogKeyFile.read(keyPath);
        } catch (Rejection e) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.KEY, 0, 1, e.getMessage()));
        }
        if (!ConstantTime.equal(stored.bytes(), key.bytes())) {
            throw new AuditException(AuditException.Kind.KEY_MISMATCH, "audit log " + logPath.getFileName() + " belongs to another key");
        }
    }

    private void openFiles() throws IOException {
        log = new RandomAccessFile(logPath.toFile(), "rw");
        checkpoints = new RandomAccessFile(checkpointsPath.toFile(), "rw");
    }

    /** Cuts an unterminated last line if allowed; returns what was cut, or null if the tail was whole. */
    private String cutTornTail(RandomAccessFile file, AuditBreak.Source source, int maxLine) throws IOException {
        FileChannel ch = file.getChannel();
        long size = ch.size();
        if (size == 0 || FileTail.lastByte(ch, size) == '\n') {
            return null;
        }
        long nl = FileTail.lastNewline(ch, size, maxLine + 1L);
        if (nl == FileTail.TOO_FAR) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, source, 0, 0, "unterminated last line exceeds the line limit"));
        }
        long keep = nl + 1;
        if (!repairTornTail) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.TORN_TAIL, source, 0, 0,
                    (size - keep) + " bytes of an unterminated line at offset " + keep));
        }
        file.setLength(keep);
        file.getFD().sync();
        return "cut " + (size - keep) + " torn bytes at offset " + keep + " of " + (source == AuditBreak.Source.LOG ? "the log" : "the checkpoint file");
    }

    private AuditException corrupt(AuditBreak b) {
        return new AuditException(AuditException.Kind.CORRUPT, "audit log " + logPath.getFileName() + " is damaged: " + b.kind(), b, null);
    }

}
