package dev.moat.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a small file whole, safely: refuses anything but a regular file before opening it (a FIFO
 * would block the open, {@code /dev/zero} never ends) and never reads more than {@code max + 1}
 * bytes, whatever the file's reported size ({@code /proc} files report 0) or growth during the read.
 */
public final class BoundedFiles {
    private BoundedFiles() {}

    /** The file is not a regular file (a directory, FIFO, device or socket). */
    public static final class NotRegularFile extends IOException {
        private static final long serialVersionUID = 1L;

        NotRegularFile(Path file) {
            super(file + " is not a regular file");
        }
    }

    /** The file holds more than the allowed bytes. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(Path file, long max) {
            super(file + " is larger than " + max + " bytes");
        }
    }

    /**
     * The bytes of {@code file}, at most {@code max}.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws NotRegularFile when it is not a regular file (checked after following links)
     * @throws TooLarge when it holds more than {@code max} bytes
     */
    public static byte[] read(Path file, int max) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new NotRegularFile(file);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(max + 1);
        }
        if (bytes.length > max) {
            throw new TooLarge(file, max);
        }
        return bytes;
    }
}
