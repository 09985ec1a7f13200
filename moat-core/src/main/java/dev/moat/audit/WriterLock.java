package dev.moat.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one-writer lock of a JSONL log: an OS lock on the sidecar {@code <log>.lock}, plus a registry
 * of the logs this JVM holds.
 *
 * <p>The OS lock is a POSIX record lock on Linux, and the process loses it as soon as it closes
 * <em>any</em> descriptor of the locked file. So the lock is not taken on the log itself (which the
 * verifier, {@code verifyOnOpen()} and other readers open and close), but on a file nothing else
 * opens: the lock file is opened once per acquisition, kept open while the lock is held, and never
 * deleted (a new inode would be a new lock). A second acquisition in the same JVM is refused from
 * the registry, before it opens the lock file, since closing its descriptor would drop the first
 * holder's lock.
 */
final class WriterLock {
    private static final ConcurrentHashMap<Path, WriterLock> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private FileChannel channel;
    private FileLock lock;

    private WriterLock(Path key) {
        this.key = key;
    }

    /** The lock sidecar of {@code log}: {@code <log>.lock}. */
    static Path lockPath(Path log) {
        return log.resolveSibling(log.getFileName() + ".lock");
    }

    /**
     * Takes the writer lock of {@code log}, whose directory must exist.
     *
     * @throws AuditException {@link AuditException.Kind#STORE_FAILED} if this JVM or another process holds it
     */
    static WriterLock acquire(Path log) throws IOException {
        Path lockFile = lockPath(log);
        Path key = lockFile.toAbsolutePath().getParent().toRealPath().resolve(lockFile.getFileName());
        WriterLock mine = new WriterLock(key);
        if (HELD.putIfAbsent(key, mine) != null) {
            throw inUse(log, "this process");
        }
        try {
            mine.channel = dev.moat.internal.AtomicFiles.openOwnerOnly(key);
            try {
                mine.lock = mine.channel.tryLock();
            } catch (OverlappingFileLockException e) {
                mine.lock = null;
            }
            if (mine.lock == null) {
                throw inUse(log, "another process");
            }
            return mine;
        } catch (IOException | RuntimeException e) {
            mine.release();
            throw e;
        }
    }

    /** Releases the lock. Idempotent. */
    void release() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing the channel releases it too
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // releasing anyway
        }
        HELD.remove(key, this);
    }

    private static AuditException inUse(Path log, String who) {
        return new AuditException(AuditException.Kind.STORE_FAILED, "audit log " + log.getFileName() + " is in use by another writer (" + who + ")");
    }
}
