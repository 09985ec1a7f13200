package dev.moat.cli;

import dev.moat.Moat;
import dev.moat.bridge.BridgeConfig;
import dev.moat.bridge.BridgeServer;
import dev.moat.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat bridge serve}: the sidecar that guards tool calls from other languages (CrewAI). */
@Command(name = "bridge", mixinStandardHelpOptions = true,
        description = "Guard tool calls from other languages (CrewAI) through a loopback sidecar.",
        subcommands = {BridgeCommand.Serve.class})
final class BridgeCommand extends GroupCommand {

    /** {@code moat bridge serve --policy moat.yaml} */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Start Moat from a policy and serve its guard on 127.0.0.1 until stopped (Ctrl-C).",
                "A new bearer token is made at every start and written with the URL, owner-only (0600), to the",
                "secret file; clients (moat_crewai.guard) read it. The API is spec/bridge-openapi.yaml."})
    static final class Serve extends CliCommand {
        @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file (YAML).")
        String policy;

        @Option(names = "--secret-file", paramLabel = "FILE", description = "Where to write {url, token} (default: <home>/bridge.json).")
        String secretFile;

        @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "Loopback port (default: any free one).")
        int port;

        @Option(names = "--path-argument", paramLabel = "TOOL=ARG",
                description = "The tool's argument ARG is a relative path: its resource is tool://TOOL/<path>, so grants confine it to folders.")
        List<String> pathArguments = List.of();

        @Override
        protected int execute() throws Exception {
            Path p = resolve(policy);
            if (!Files.isRegularFile(p)) {
                throw CliException.io("no such policy file: " + p);
            }
            Map<String, String> paths = new LinkedHashMap<>();
            for (String m : pathArguments) {
                int eq = m.indexOf('=');
                if (eq <= 0 || eq == m.length() - 1) {
                    throw CliException.usage("--path-argument wants TOOL=ARG, got '" + m + "'");
                }
                paths.put(m.substring(0, eq), m.substring(eq + 1));
            }
            Path secret = secretFile == null ? home().root().resolve("bridge.json") : resolve(secretFile);
            Moat moat;
            try {
                moat = Moat.fromPolicy(p);
            } catch (PolicyException e) {
                throw CliException.denied("invalid_policy", "invalid policy: " + e.getMessage());
            }
            BridgeServer server;
            try {
                server = BridgeServer.start(moat.guard(), BridgeConfig.builder(secret).port(port).pathArguments(paths).build(),
                        moat.toolRules());
            } catch (RuntimeException | java.io.IOException e) {
                moat.close();
                throw e;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                moat.close();
                stopped.countDown();
            }, "moat-bridge-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                if (json()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ok", true);
                    m.put("url", server.url());
                    m.put("secretFile", secret.toString());
                    printJson(m);
                } else {
                    out().println("moat bridge listening on " + server.url() + " (secret in " + show(secret) + ")");
                }
                out().flush();
                stopped.await(); // until the process is stopped (or, embedded, the thread interrupted)
            } finally {
                server.close();
                moat.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it closes the same things, idempotently
                }
            }
            return ExitCodes.OK;
        }
    }
}
