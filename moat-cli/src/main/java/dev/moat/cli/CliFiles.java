package dev.moat.cli;

import dev.moat.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The CLI's file writes, all through core's {@link AtomicFiles} (temp file, fsync, rename, fsync of
 * the directory); this class only turns an I/O failure into a {@link CliException}.
 */
final class CliFiles {
    private CliFiles() {}

    /** Atomically replaces {@code target}, mode 0600 (the home's trust store and revocation list). */
    static void writeOwnerOnly(Path target, byte[] content) {
        try {
            AtomicFiles.writeOwnerOnly(target, content);
        } catch (IOException e) {
            throw failed("write", target, e);
        }
    }

    /** Atomically replaces {@code target} with default permissions (token files meant to be handed on). */
    static void write(Path target, byte[] content) {
        try {
            AtomicFiles.write(target, content);
        } catch (IOException e) {
            throw failed("write", target, e);
        }
    }

    /** Creates {@code dir} (and parents) owner-only; an existing directory is left as it is. */
    static void ownerOnlyDirectory(Path dir) {
        try {
            AtomicFiles.createOwnerOnlyDirectories(dir);
        } catch (IOException e) {
            throw failed("create", dir, e);
        }
    }

    private static CliException failed(String what, Path path, IOException e) {
        return CliException.io("cannot " + what + " " + path + " (" + e.getClass().getSimpleName() + ")", e);
    }
}
