package dev.moat.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an MCP stdio stream into messages: UTF-8 JSON, one per line, {@code '\n'}-terminated (a
 * trailing {@code '\r'} is dropped, blank lines are skipped). Never holds more than
 * {@code maxBytes} of one message: a longer one is reported as {@link Oversized} without being read
 * further.
 */
final class FrameReader {
    /** What {@link #next()} found. */
    sealed interface Result permits Frame, Oversized, End {}

    /** One complete message. */
    record Frame(byte[] bytes) implements Result {}

    /** A message longer than the bound; the stream is not usable past it. */
    record Oversized(int limit) implements Result {}

    /** End of stream; {@code torn} when it ended inside a message (that message is dropped). */
    record End(boolean torn) implements Result {}

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[4096];
    private int length;

    FrameReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    Result next() throws IOException {
        while (true) {
            Result r = nextLine();
            if (r instanceof Frame f && f.bytes().length == 0) {
                continue;
            }
            return r;
        }
    }

    /** As {@link #next()}, but blank lines are returned as empty frames (event boundaries in SSE). */
    Result nextRaw() throws IOException {
        return nextLine();
    }

    private Result nextLine() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int r = in.read(buf, 0, buf.length);
                if (r < 0) {
                    return new End(any && length > 0);
                }
                pos = 0;
                limit = r;
            }
            any = true;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl >= 0 ? nl : limit;
            int n = end - pos;
            if (length + n > maxBytes + 1) { // + 1: room for a '\r' that is dropped
                return new Oversized(maxBytes);
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(maxBytes + 1, Math.max(length + n, line.length * 2)));
            }
            System.arraycopy(buf, pos, line, length, n);
            length += n;
            if (nl >= 0) {
                pos = nl + 1;
                int len = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                if (len > maxBytes) {
                    return new Oversized(maxBytes);
                }
                return new Frame(Arrays.copyOf(line, len));
            }
            pos = limit;
        }
    }
}
