package dev.moat.sandbox.internal;

import dev.moat.sandbox.SandboxFailure;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A guest output stream with a cap. Past the cap it either stops the run
 * ({@link SandboxFailure#OUTPUT_LIMIT}; the sandbox does so for stdout and stderr) or drops the
 * excess. A write on an interrupted thread (the deadline passed) stops the run too.
 */
public final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final int cap;
    private final boolean stopWhenFull;
    private long total;
    private volatile boolean exceeded;

    public BoundedOutput(int cap, boolean stopWhenFull) {
        this.cap = cap;
        this.stopWhenFull = stopWhenFull;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (Thread.currentThread().isInterrupted()) { // one fd_write can carry 500,000 buffers: stop between them
            throw new RunStopped(SandboxFailure.DEADLINE, "interrupted during output");
        }
        total += len;
        int room = cap - buffer.size();
        if (len > room) {
            buffer.write(b, off, Math.max(room, 0));
            exceeded = true;
            if (stopWhenFull) {
                throw new RunStopped(SandboxFailure.OUTPUT_LIMIT, "output exceeds " + cap + " bytes");
            }
            return;
        }
        buffer.write(b, off, len);
    }

    /** True once the guest tried to write past the cap. */
    public boolean exceeded() {
        return exceeded;
    }

    /** Bytes the guest tried to write, kept or not. */
    public synchronized long total() {
        return total;
    }

    public synchronized byte[] bytes() {
        return buffer.toByteArray();
    }
}
