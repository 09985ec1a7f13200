package dev.moat.audit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into {@code '\n'}-terminated lines, never holding more than {@code maxLine}
 * bytes of one line. Memory is bounded by the read buffer plus {@code maxLine}.
 */
public final class BoundedLineReader {
    /** What {@link #next()} found. */
    public enum Status { LINE, TORN, OVERSIZED, END }

    private final InputStream in;
    private final int maxLine;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private int length;
    private long lineNumber;

    public BoundedLineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /**
     * Reads the next line into {@link #bytes()}/{@link #length()}. {@code TORN}: the stream ended
     * inside a line (its bytes are available); {@code OVERSIZED}: a line exceeded the bound.
     */
    public Status next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int r = in.read(buf, 0, buf.length);
                if (r < 0) {
                    if (!any) {
                        return Status.END;
                    }
                    lineNumber++;
                    return Status.TORN;
                }
                pos = 0;
                limit = r;
            }
            any = true;
            int start = pos;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl >= 0 ? nl : limit;
            int n = end - start;
            if (length + n > maxLine) {
                lineNumber++;
                return Status.OVERSIZED;
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(maxLine, Math.max(length + n, line.length * 2)));
            }
            System.arraycopy(buf, start, line, length, n);
            length += n;
            if (nl >= 0) {
                pos = nl + 1;
                lineNumber++;
                return Status.LINE;
            }
            pos = limit;
        }
    }

    /** The current line's bytes (valid up to {@link #length()}; reused by the next call). */
    public byte[] bytes() {
        return line;
    }

    public int length() {
        return length;
    }

    /** 1-based number of the line last returned. */
    public long lineNumber() {
        return lineNumber;
    }
}
