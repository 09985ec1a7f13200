package dev.moat.sandbox.internal;

import dev.moat.sandbox.SandboxFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes one file from a writable grant back to the host: only below the grant root, never
 * through or onto a symlink, via a temporary file and an atomic rename (which replaces a
 * directory entry and never follows it).
 */
final class HostWriter {
    private HostWriter() {}

    static String write(Path hostRoot, Path rel, byte[] data) throws IOException {
        Path dir = hostRoot;
        int names = rel.getNameCount();
        requireRealDirectory(dir);
        for (int i = 0; i < names - 1; i++) {
            dir = dir.resolve(checkedName(rel.getName(i).toString()));
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                requireRealDirectory(dir);
            } else {
                Files.createDirectory(dir);
            }
        }
        Path target = dir.resolve(checkedName(rel.getName(names - 1).toString())).normalize();
        if (!target.startsWith(hostRoot) || target.equals(hostRoot)) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "write-back outside the grant");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && !Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "write-back target is not a regular file");
        }
        Path tmp = Files.createTempFile(dir, ".moat-", ".tmp");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target.toString();
    }

    private static String checkedName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "write-back name is not a plain file name");
        }
        return name;
    }

    private static void requireRealDirectory(Path dir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            throw new RunStopped(SandboxFailure.IO_DENIED, "write-back through a non-directory or symlink");
        }
    }
}
