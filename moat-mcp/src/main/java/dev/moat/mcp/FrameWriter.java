package dev.moat.mcp;

import java.io.IOException;
import java.io.OutputStream;

/** Writes whole messages, one per line, to one peer; safe for concurrent writers. */
final class FrameWriter {
    private final OutputStream out;
    private volatile boolean broken;

    FrameWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes {@code frame} and a newline, then flushes. */
    synchronized void write(byte[] frame) throws IOException {
        if (broken) {
            throw new IOException("peer is gone");
        }
        try {
            out.write(frame);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    /** Closes the stream; not synchronized, so it also ends a write blocked on a full pipe. */
    void close() {
        broken = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // the peer is gone already
        }
    }
}
