package dev.moat.secrets;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback-only HTTP server that echoes the request headers it received in its body and in an
 * {@code X-Echo-Authorization} response header, and records them for the test.
 */
final class LoopbackServer implements AutoCloseable {
    final List<Map<String, List<String>>> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            received.add(headers);
            StringBuilder body = new StringBuilder("{\"headers\":{");
            headers.forEach((k, v) -> body.append('"').append(k).append("\":\"").append(String.join(",", v)).append("\","));
            body.append("}}");
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            List<String> auth = headers.get("Authorization");
            if (auth != null) {
                exchange.getResponseHeaders().add("X-Echo-Authorization", auth.get(0));
            }
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.createContext("/big", exchange -> {
            byte[] bytes = new byte[4096];
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    URI uri(String host, String path) {
        return URI.create("http://" + host + ":" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
