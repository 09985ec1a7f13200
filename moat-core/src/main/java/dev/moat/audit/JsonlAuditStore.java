package dev.moat.audit;

import dev.moat.crypto.Ed25519PublicKey;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AuditStore} in a JSON Lines file, one canonical entry per line, with two sidecars:
 * {@code <log>.checkpoints} (one signed checkpoint per line) and {@code <log>.key} (the log's public
 * key, self-asserted), and the lock file {@code <log>.lock}. Files are created owner-only where the file system supports POSIX modes.
 *
 * <p>Assumptions and guarantees:
 * <ul>
 *   <li>One writer appends to a log at a time: an OS lock on {@code <log>.lock}, which nothing else
 *       opens (so closing the log's other descriptors, as the verifier does, cannot drop it), and a
 *       second open in the same JVM is refused before it touches that file.</li>
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
    private WriterLock writerLock;
    private ScheduledExecutorService syncer;

    private final Object syncLock = new Object();
    private volatile long written;
    private volatile long durable; // written under syncLock, read without it
    private volatile AuditException failure;
    private volatile boolean open;
    private final java.util.concurrent.atomic.AtomicBoolean syncQueued = new java.util.concurrent.atomic.AtomicBoolean();
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

    /** Opens refusing any entry after the last checkpoint; {@link AuditLog} uses {@link #open(Ed25519PublicKey, long)} with its checkpoint interval. */
    @Override
    public Head open(Ed25519PublicKey logKey) {
        return open(logKey, 0);
    }

    @Override
    public synchronized Head open(Ed25519PublicKey logKey, long maxUnanchored) {
        Objects.requireNonNull(logKey, "logKey");
        if (everOpened) {
            throw new AuditException(AuditException.Kind.CLOSED, "a JsonlAuditStore opens once; build a new one");
        }
        everOpened = true;
        try {
            JsonlOpener opener = new JsonlOpener(logPath, checkpointsPath, keyPath, repairTornTail, verifyOnOpen);
            Head head;
            try {
                head = opener.open(logKey, maxUnanchored);
            } finally {
                log = opener.log;
                checkpoints = opener.checkpoints;
                writerLock = opener.writerLock;
            }
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
        } else if (written - durable >= durability.batchEntries() && syncQueued.compareAndSet(false, true)) {
            // hand the fsync to the sync thread: appenders keep going while the disk works
            try {
                syncer.execute(this::timedSync);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                syncQueued.set(false); // closing: close() syncs
            }
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
        syncQueued.set(false);
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

    private void releaseQuietly() {
        for (RandomAccessFile f : new RandomAccessFile[] {log, checkpoints}) {
            try {
                if (f != null) {
                    f.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (writerLock != null) {
            writerLock.release(); // last: the files are closed before another writer may open them
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
