package dev.moat.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads lines backwards from the end of a file, with a bound on how far it looks. */
final class FileTail {
    /** Returned by {@link #lastNewline} when no newline lies within the scan bound. */
    static final long TOO_FAR = -2;

    private FileTail() {}

    /**
     * Position of the last {@code '\n'} strictly before {@code end}, or -1 when there is none down to
     * the start of the file, or {@link #TOO_FAR} when none lies within {@code maxScan} bytes.
     */
    static long lastNewline(FileChannel ch, long end, long maxScan) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long pos = end;
        long floor = Math.max(0, end - maxScan);
        while (pos > floor) {
            int n = (int) Math.min(buf.capacity(), pos - floor);
            long from = pos - n;
            buf.clear().limit(n);
            readFully(ch, buf, from);
            for (int i = n - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return from + i;
                }
            }
            pos = from;
        }
        return floor == 0 ? -1 : TOO_FAR;
    }

    static byte[] read(FileChannel ch, long from, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        readFully(ch, buf, from);
        return buf.array();
    }

    static byte lastByte(FileChannel ch, long size) throws IOException {
        return read(ch, size - 1, 1)[0];
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long from) throws IOException {
        long p = from;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
            p += r;
        }
    }
}
