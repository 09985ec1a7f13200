package dev.moat.audit;

import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.internal.Rejection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AuditStore} in a JSON Lines file, one canonical entry per line, with two sidecars:
 * {@code <log>.checkpoints} (one signed checkpoint per line) and {@code <log>.key} (the log's public
 * key, self-asserted). Files are created owner-only where the file system supports POSIX modes.
 *
 * <p>Assumptions and guarantees:
 * <ul>
 *   <li>One process appends to a log at a time (enforced with an OS file lock).</li>
 *   <li>Every entry is written to the OS before {@code append} returns, so a killed process loses no
 *       acknowledged entry; {@link Durability} decides when {@code fsync} happens. A checkpoint is
 *       written only after the entries it covers are synced, so a crash never leaves a checkpoint
 *       ahead of the log.</li>
 *   <li>A crash can leave at most one torn (unterminated) last line in each file. Opening such a
 *       log fails with {@link AuditException.Kind#CORRUPT} ({@link AuditBreak.Kind#TORN_TAIL}) unless
 *       {@link Builder#repairTornTail()} was chosen; then the torn bytes are cut off and the log
 *       records a {@code repair} lifecycle event.</li>
 *   <li>Opening checks the tail: the last two entries chain and hash correctly, the key file matches,
 *       and the last checkpoint is signed, not ahead of the log and consistent with it. Use
 *       {@link Builder#verifyOnOpen()} to verify the whole file first.</li>
 *   <li>After any I/O failure the store refuses all further writes (the caller must deny).</li>
 * </ul>
 */
public final class JsonlAuditStore implements AuditStore {
    private final Path logPath;
    private final Path checkpointsPath;
    private final Path keyPath;
    private final Durability durability;
    private final boolean repairTornTail;
    private final boolean verifyOnOpen;

    // RandomAccessFile, not FileChannel, for writes and fsync: an interrupted thread would close a
    // FileChannel (and so fail the log for everyone); RandomAccessFile I/O is not interruptible.
    private RandomAccessFile log;
    private RandomAccessFile checkpoints;
    private FileLock fileLock;
    private ScheduledExecutorService syncer;

    private final Object syncLock = new Object();
    private volatile long written;
    private volatile long durable; // written under syncLock, read without it
    private volatile AuditException failure;
    private volatile boolean open;
    private boolean everOpened;

    private JsonlAuditStore(Builder b) {
        this.logPath = b.log;
        this.checkpointsPath = checkpointsPath(b.log);
        this.keyPath = keyPath(b.log);
        this.durability = b.durability;
        this.repairTornTail = b.repairTornTail;
        this.verifyOnOpen = b.verifyOnOpen;
    }

    /** A store for the log file {@code log} (created on open if absent, with its sidecars). */
    public static Builder builder(Path log) {
        return new Builder(log);
    }

    /** The checkpoint sidecar of {@code log}: {@code <log>.checkpoints}. */
    public static Path checkpointsPath(Path log) {
        return log.resolveSibling(log.getFileName() + ".checkpoints");
    }

    /** The public-key sidecar of {@code log}: {@code <log>.key}. */
    public static Path keyPath(Path log) {
        return log.resolveSibling(log.getFileName() + ".key");
    }

    @Override
    public synchronized Head open(Ed25519PublicKey logKey) {
        Objects.requireNonNull(logKey, "logKey");
        if (everOpened) {
            throw new AuditException(AuditException.Kind.CLOSED, "a JsonlAuditStore opens once; build a new one");
        }
        everOpened = true;
        try {
            Head head = Files.exists(logPath) ? resume(logKey) : create(logKey);
            if (durability.isEveryEntry()) {
                syncer = null;
            } else {
                long period = Math.max(1, durability.maxDelay().toMillis() / 2);
                syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "moat-audit-sync");
                    t.setDaemon(true);
                    return t;
                });
                syncer.scheduleWithFixedDelay(this::timedSync, period, period, TimeUnit.MILLISECONDS);
            }
            written = head.count();
            durable = head.count();
            open = true;
            return head;
        } catch (IOException e) {
            releaseQuietly();
            throw new AuditException(AuditException.Kind.STORE_FAILED, "cannot open audit log " + logPath.getFileName(), e);
        } catch (RuntimeException e) {
            releaseQuietly();
            throw e;
        }
    }

    private Head create(Ed25519PublicKey key) throws IOException {
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
        SafeFiles.writeAtomically(keyPath, LogKeyFile.encode(key));
        SafeFiles.createEmpty(checkpointsPath);
        SafeFiles.createEmpty(logPath);
        SafeFiles.syncDirectory(dir);
        openChannels();
        return new Head(0, AuditEntry.GENESIS_HASH, null, null);
    }

    private Head resume(Ed25519PublicKey key) throws IOException {
        checkKeyFile(key);
        if (!Files.exists(checkpointsPath)) {
            throw corrupt(new AuditBreak(AuditBreak.Kind.MISSING, AuditBreak.Source.CHECKPOINTS, 0, 0, "checkpoint file is missing"));
        }
        openChannels();
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
        return new Head(tail.count(), tail.headHash(), tail.lastTime(), repairs);
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

    private void openChannels() throws IOException {
        log = new RandomAccessFile(logPath.toFile(), "rw");
        checkpoints = new RandomAccessFile(checkpointsPath.toFile(), "rw");
        try {
            fileLock = log.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        }
        if (fileLock == null) {
            throw new AuditException(AuditException.Kind.STORE_FAILED, "audit log " + logPath.getFileName() + " is in use by another writer");
        }
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

    @Override
    public void append(AuditEntry entry) {
        requireWritable();
        byte[] line = AuditEntryCodec.lineBytes(entry);
        if (line.length > AuditEntry.MAX_LINE_BYTES) {
            throw new AuditException(AuditException.Kind.OVERSIZED_ENTRY,
                    "audit entry of " + line.length + " bytes exceeds " + AuditEntry.MAX_LINE_BYTES);
        }
        try {
            log.write(line);
        } catch (IOException | RuntimeException e) {
            throw fail("cannot write audit entry", e);
        }
        written = entry.index() + 1;
    }

    @Override
    public void sync(long index) {
        if (durability.isEveryEntry()) {
            syncTo(index + 1);
        } else if (written - durable >= durability.batchEntries()) {
            syncTo(written);
        }
    }

    @Override
    public void appendCheckpoint(AuditCheckpoint checkpoint) {
        requireWritable();
        syncTo(checkpoint.count());
        byte[] line = (checkpoint.toJsonLine() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            checkpoints.write(line);
            checkpoints.getFD().sync();
        } catch (IOException | RuntimeException e) {
            throw fail("cannot write audit checkpoint", e);
        }
    }

    @Override
    public void flush() {
        requireWritable();
        syncTo(written);
    }

    @Override
    public synchronized void close() {
        if (!open) {
            releaseQuietly();
            return;
        }
        open = false;
        if (syncer != null) {
            syncer.shutdown();
            try {
                syncer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AuditException first = null;
        if (failure == null) {
            try {
                syncTo(written);
            } catch (AuditException e) {
                first = e;
            }
        }
        releaseQuietly();
        if (first != null) {
            throw first;
        }
    }

    private void syncTo(long target) {
        synchronized (syncLock) {
            if (durable >= target) {
                return;
            }
            AuditException f = failure;
            if (f != null) {
                throw new AuditException(AuditException.Kind.FAILED_EARLIER, "audit store failed earlier", f);
            }
            long covered = written;
            try {
                log.getFD().sync();
            } catch (IOException | RuntimeException e) {
                throw fail("cannot sync audit log", e);
            }
            durable = covered;
        }
    }

    private void timedSync() {
        try {
            if (open && failure == null && written > durable) {
                syncTo(written);
            }
        } catch (RuntimeException e) {
            // recorded in `failure`; the next append reports it
        }
    }

    private void requireWritable() {
        if (!open) {
            throw new AuditException(AuditException.Kind.CLOSED, "audit store is closed");
        }
        AuditException f = failure;
        if (f != null) {
            throw new AuditException(AuditException.Kind.FAILED_EARLIER, "audit store failed earlier", f);
        }
    }

    private AuditException fail(String what, Throwable cause) {
        AuditException e = new AuditException(AuditException.Kind.STORE_FAILED, what + " (" + logPath.getFileName() + ")", cause);
        failure = e;
        return e;
    }

    private AuditException corrupt(AuditBreak b) {
        return new AuditException(AuditException.Kind.CORRUPT, "audit log " + logPath.getFileName() + " is damaged: " + b.kind(), b, null);
    }

    private void releaseQuietly() {
        try {
            if (fileLock != null && fileLock.isValid()) {
                fileLock.release();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        for (RandomAccessFile f : new RandomAccessFile[] {log, checkpoints}) {
            try {
                if (f != null) {
                    f.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** Options for {@link JsonlAuditStore}. */
    public static final class Builder {
        private final Path log;
        private Durability durability = Durability.everyEntry();
        private boolean repairTornTail;
        private boolean verifyOnOpen;

        private Builder(Path log) {
            this.log = Objects.requireNonNull(log, "log");
        }

        /** When to {@code fsync} (default {@link Durability#everyEntry()}). */
        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * On open, cut off an unterminated last line (left by a crash) instead of refusing to open.
         * The log then records a {@code repair} lifecycle event saying how many bytes were cut.
         */
        public Builder repairTornTail() {
            this.repairTornTail = true;
            return this;
        }

        /** On open, verify the whole existing log (chain and checkpoints) before appending to it. */
        public Builder verifyOnOpen() {
            this.verifyOnOpen = true;
            return this;
        }

        public JsonlAuditStore build() {
            return new JsonlAuditStore(this);
        }
    }
}
