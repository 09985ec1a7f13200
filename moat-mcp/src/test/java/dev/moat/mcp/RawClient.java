package dev.moat.mcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client that writes raw lines to a proxy running on its own thread and reads what comes back,
 * for the malformed and oversized cases no SDK client would send.
 */
final class RawClient implements AutoCloseable {
    static final String EOF = "<eof>";
    private final OutputStream toProxy;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    RawClient(McpProxy proxy, Upstream upstream) throws IOException {
        Pipe in = Pipe.open();
        Pipe out = Pipe.open();
        toProxy = Channels.newOutputStream(in.sink());
        Thread t = new Thread(() -> {
            try {
                exit.complete(proxy.run(Channels.newInputStream(in.source()), Channels.newOutputStream(out.sink()), upstream));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "raw-proxy");
        t.setDaemon(true);
        t.start();
        Thread r = new Thread(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(Channels.newInputStream(out.source()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // closed
            }
            lines.add(EOF);
        }, "raw-reader");
        r.setDaemon(true);
        r.start();
    }

    void send(String line) throws IOException {
        send(line.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] line) throws IOException {
        toProxy.write(line);
        toProxy.write('\n');
        toProxy.flush();
    }

    /**
     * The next line from the proxy that is not a notification (servers send those unasked),
     * {@link #EOF} when its stream ended; fails after 10 s.
     */
    String next() throws Exception {
        while (true) {
            String l = lines.poll(10, TimeUnit.SECONDS);
            if (l == null) {
                throw new AssertionError("no answer from the proxy within 10 s");
            }
            if (l.equals(EOF)) {
                return l;
            }
            var node = JsonRpc.MAPPER.readTree(l);
            if (!(node.has("method") && !node.has("id"))) {
                return l;
            }
        }
    }

    /** Ends the client's side (EOF to the proxy). */
    @Override
    public void close() throws IOException {
        toProxy.close();
    }

    static String initialize(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    }

    static String initialized() {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    }
}
