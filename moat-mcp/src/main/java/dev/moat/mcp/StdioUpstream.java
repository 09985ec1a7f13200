package dev.moat.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An MCP server started as a child process: the proxy writes to its stdin and reads its stdout;
 * its stderr (logs, by MCP convention) goes to the proxy's stderr. The command is run as given,
 * with the proxy's environment and working directory, never through a shell.
 */
public final class StdioUpstream implements Upstream {
    private final List<String> command;
    private Process process;
    private FrameWriter stdin;
    private Thread reader;

    public StdioUpstream(List<String> command) {
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (this.command.isEmpty()) {
            throw new IllegalArgumentException("the server command is empty");
        }
    }

    @Override
    public void start(Listener listener, McpLimits limits) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        process = pb.start();
        stdin = new FrameWriter(process.getOutputStream());
        InputStream out = process.getInputStream();
        reader = new Thread(() -> read(out, listener, limits), "moat-mcp-server-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream out, Listener listener, McpLimits limits) {
        FrameReader frames = new FrameReader(out, limits.maxMessageBytes());
        String reason;
        try {
            while (true) {
                FrameReader.Result r = frames.next();
                if (r instanceof FrameReader.Frame f) {
                    listener.onMessage(f.bytes());
                } else if (r instanceof FrameReader.Oversized o) {
                    reason = "the server sent a message over the " + o.limit() + "-byte limit";
                    break;
                } else {
                    reason = exitReason(((FrameReader.End) r).torn());
                    break;
                }
            }
        } catch (IOException e) {
            reason = "reading from the server failed: " + e.getClass().getSimpleName();
        }
        listener.onClosed(reason);
    }

    private String exitReason(boolean torn) {
        String what = torn ? "the server's output ended inside a message" : "the server closed its output";
        try {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return what + " (exit status " + process.exitValue() + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return what;
    }

    @Override
    public void send(byte[] frame) throws IOException {
        stdin.write(frame);
    }

    @Override
    public void endInput() {
        if (stdin != null) {
            stdin.close();
        }
    }

    @Override
    public void close(Duration grace) {
        if (process == null) {
            return;
        }
        endInput();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(Math.max(grace.toMillis(), 200), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // a server's children may hold its stdout open: stop them too
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** The child's process id, once started (for tests and diagnostics). */
    public long pid() {
        return process.pid();
    }
}
