package dev.moat.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The one crash-safe file writer of Moat (used by core, its audit log and the CLI): write a temporary file in the
 * same directory, fsync it, rename it over the target atomically, fsync the directory. A reader
 * sees the old or the new content, never a mix, and no temporary file is left behind, also when a
 * step fails. Owner-only files are created with mode {@code 0600} from the start (never briefly
 * readable by others) where the file system has POSIX permissions.
 */
public final class AtomicFiles {
    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> OWNER_WRITABLE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    private static final FileAttribute<?> OWNER_ONLY_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content}; a new file gets the default permissions. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, false);
    }

    /** As {@link #write} with permissions 0600 from creation on. */
    public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
        write(target, content, true);
    }

    /**
     * Creates {@code dir} and any missing parent with mode {@code 0700} (where the file system has
     * POSIX permissions). Directories that already exist are left as they are.
     */
    public static void createOwnerOnlyDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && posix(existing)) {
            Files.createDirectories(abs, OWNER_ONLY_DIRECTORY);
        } else {
            Files.createDirectories(abs);
        }
    }

    private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
        // never group- or other-writable, whatever the umask: a writable trust or key file can be replaced
        FileAttribute<?>[] attrs = posix(dir) ? new FileAttribute<?>[] {ownerOnly ? OWNER_ONLY_FILE : OWNER_WRITABLE_FILE} : new FileAttribute<?>[0];
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary file collision", e); // not ours: leave it alone
        }
        try {
            try (ch) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp); // only still there when a step above failed
        }
        fsyncDirectory(dir);
    }

    private static boolean posix(Path dir) throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView("posix");
    }

    /**
     * Creates {@code file}, which must not exist, empty with mode 0600 and synced (its directory
     * entry needs {@link #fsyncDirectory} to survive a crash).
     */
    public static void createOwnerOnly(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        FileAttribute<?>[] attrs = posix(abs.getParent()) ? new FileAttribute<?>[] {OWNER_ONLY_FILE} : new FileAttribute<?>[0];
        try (FileChannel ch = FileChannel.open(abs, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
            ch.force(true);
        }
    }

    /**
     * Opens {@code file} for writing, creating it with mode 0600 if absent (a lock file, say); the
     * caller closes the channel.
     */
    public static FileChannel openOwnerOnly(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        FileAttribute<?>[] attrs = posix(abs.getParent()) ? new FileAttribute<?>[] {OWNER_ONLY_FILE} : new FileAttribute<?>[0];
        return FileChannel.open(abs, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), attrs);
    }

    /**
     * Flushes a directory's entries to disk, so new and renamed names survive a crash. A no-op where
     * directories cannot be opened (Windows; NTFS journals its metadata); elsewhere a failure is
     * reported, not ignored.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        if (!posix(dir)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
