package dev.moat.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Raw reading of audit log files for display (verification is {@link dev.moat.audit.AuditVerifier}'s job). */
final class AuditFiles {
    static final int MAX_LINE = 1 << 20;

    private AuditFiles() {}

    /** The log path: {@code --path}, else {@code audit.jsonl} in the home. Exit 3 when it does not exist. */
    static Path existing(Path file) {
        if (!Files.exists(file)) {
            throw CliException.io("no such audit log: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.io("not a file: " + file);
        }
        return file;
    }

    /** Number of newline characters in {@code file}. */
    static long countLines(Path file) throws IOException {
        long n = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    if (buf.get() == '\n') {
                        n++;
                    }
                }
                buf.clear();
            }
        }
        return n;
    }

    /** The last {@code n} complete lines (a torn, unterminated tail is left out), oldest first. */
    static List<String> lastLines(Path file, int n) throws IOException {
        Deque<String> lines = new ArrayDeque<>();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            byte[] chunk = new byte[64 * 1024];
            // skip an unterminated tail, scanning backwards in chunks, at most one line's worth
            long pos = end;
            boolean found = false;
            while (pos > 0 && !found) {
                if (end - pos > MAX_LINE) {
                    throw CliException.denied("malformed", file + ": the unterminated last line exceeds " + MAX_LINE + " bytes");
                }
                int len = (int) Math.min(chunk.length, pos);
                raf.seek(pos - len);
                raf.readFully(chunk, 0, len);
                int i = len - 1;
                while (i >= 0 && chunk[i] != '\n') {
                    i--;
                }
                if (i >= 0) {
                    pos = pos - len + i + 1;
                    found = true;
                } else {
                    pos -= len;
                }
            }
            long lineEnd = pos - 1; // index of the newline ending the current line
            long cursor = lineEnd;
            java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
            while (cursor > 0 && lines.size() < n) {
                int len = (int) Math.min(chunk.length, cursor);
                long start = cursor - len;
                raf.seek(start);
                raf.readFully(chunk, 0, len);
                for (int i = len - 1; i >= 0 && lines.size() < n; i--) {
                    if (chunk[i] == '\n') {
                        lines.addFirst(reversed(current));
                        current.reset();
                    } else {
                        if (current.size() >= MAX_LINE) {
                            throw CliException.denied("malformed", file + ": a line exceeds " + MAX_LINE + " bytes");
                        }
                        current.write(chunk[i]);
                    }
                }
                cursor = start;
            }
            if (cursor == 0 && lines.size() < n && current.size() > 0) {
                lines.addFirst(reversed(current));
            }
        }
        return new ArrayList<>(lines);
    }

    private static String reversed(java.io.ByteArrayOutputStream b) {
        byte[] bytes = b.toByteArray();
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte t = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = t;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
