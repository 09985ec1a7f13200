package dev.moat.mcp;

import dev.moat.audit.BoundedLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits an MCP stdio stream into messages: UTF-8 JSON, one per line, {@code '\n'}-terminated (a
 * trailing {@code '\r'} is dropped, blank lines are skipped). Never holds more than
 * {@code maxBytes} of one message: a longer one is reported as {@link Oversized} without being read
 * further. Lines are split by core's {@link BoundedLineReader}; this adds the MCP framing rules.
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

    private final BoundedLineReader lines;
    private final int maxBytes;

    FrameReader(InputStream in, int maxBytes) {
        this.lines = new BoundedLineReader(in, maxBytes + 1); // + 1: room for a '\r' that is dropped
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
        return switch (lines.next()) {
            case END -> new End(false);
            case TORN -> new End(true);
            case OVERSIZED -> new Oversized(maxBytes);
            case LINE -> {
                byte[] line = lines.bytes();
                int length = lines.length();
                int len = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                yield len > maxBytes ? new Oversized(maxBytes) : new Frame(Arrays.copyOf(line, len));
            }
        };
    }
}
