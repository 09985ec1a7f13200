package dev.moat.bridge;

import dev.moat.Moat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the sidecar from a policy file until the process is stopped; {@code moat bridge serve} is
 * the user-facing command, this is the same for a plain {@code java -cp}. Arguments:
 * {@code --policy FILE --secret-file FILE [--port N] [--path-argument TOOL=ARG]...}. Prints one line,
 * {@code moat bridge listening on <url> (secret in <file>)}, when ready.
 */
public final class BridgeMain {
    private BridgeMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path policy = null;
        Path secret = null;
        int port = 0;
        Map<String, String> paths = new java.util.LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--policy" -> policy = Path.of(require(a, v));
                case "--secret-file" -> secret = Path.of(require(a, v));
                case "--port" -> port = Integer.parseInt(require(a, v));
                case "--path-argument" -> {
                    String m = require(a, v);
                    int eq = m.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--path-argument wants TOOL=ARGUMENT");
                    }
                    paths.put(m.substring(0, eq), m.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
            i++;
        }
        if (policy == null || secret == null) {
            throw new IllegalArgumentException("usage: --policy FILE --secret-file FILE [--port N] [--path-argument TOOL=ARG]");
        }
        serve(policy, BridgeConfig.builder(secret).port(port).pathArguments(paths).build());
    }

    /** Starts Moat from {@code policy} and serves until the JVM shuts down. */
    public static void serve(Path policy, BridgeConfig config) throws IOException, InterruptedException {
        Moat moat = Moat.fromPolicy(policy);
        BridgeServer server = BridgeServer.start(moat.guard(), config, moat.toolRules());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            moat.close();
            stopped.countDown();
        }, "moat-bridge-stop"));
        System.out.println("moat bridge listening on " + server.url() + " (secret in " + config.secretFile() + ")");
        System.out.flush();
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
