package dev.moat.cli;

import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.guard.SandboxModule;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.sandbox.Sandbox;
import dev.moat.sandbox.SandboxAudit;
import dev.moat.sandbox.SandboxOutcome;
import dev.moat.sandbox.SandboxRunReport;
import dev.moat.token.TokenChain;
import dev.moat.token.VerifiedCapability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code moat sandbox run --token T --module M.wasm [--input args.json]} */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a WebAssembly (WASI preview 1) tool with JSON input on stdin, under the verified token's limits:",
            "fuel, memory, wall time, filesystem and network grants. Nothing else is reachable. The guest's stdout is printed;",
            "the run (module hash, fuel, peak memory, duration, exit or trap) is appended to the home's audit log.",
            "Exit 0 completed, 1 token invalid or run stopped (with the reason), 3 I/O."})
final class SandboxRun extends CliCommand {
    private static final long MAX_FILE = 64L * 1024 * 1024;

    @Option(names = "--token", required = true, paramLabel = "FILE", description = "Token file whose limits apply (its chain must verify in this home).")
    String token;

    @Option(names = "--module", required = true, paramLabel = "FILE.wasm", description = "The WebAssembly module.")
    String module;

    @Option(names = "--input", paramLabel = "FILE", description = "JSON input for the tool's stdin (default: {}).")
    String input;

    @Option(names = "--resource", paramLabel = "RESOURCE", description = "Also require that the token allows --action on this resource.")
    String resource;

    @Option(names = "--action", paramLabel = "ACTION", defaultValue = "execute", description = "The action checked with --resource (default: execute).")
    String action;

    @Override
    protected int execute() throws IOException {
        Home home = home();
        Path tokenFile = resolve(token);
        TokenChain chain = TokenFiles.read(tokenFile);
        Checked<VerifiedCapability> verified = Verification.verify(home, chain);
        if (verified instanceof Checked.Failed<VerifiedCapability> f) {
            throw TokenFiles.invalid(tokenFile, f.failure());
        }
        VerifiedCapability cap = verified.orThrow();
        if (resource != null) {
            ReasonCode denied = cap.evaluate(resource, action);
            if (denied != null) {
                throw CliException.denied(denied.code(), tokenFile.getFileName() + " does not allow " + action + " on " + resource);
            }
        }
        SandboxModule wasm = SandboxModule.of(read(resolve(module)));
        byte[] args = input == null ? "{}".getBytes(StandardCharsets.UTF_8) : read(resolve(input));
        SandboxOutcome outcome = Sandbox.builder().build().run(wasm, cap.limits(), args);
        Path log = audit(home, cap, outcome);
        SandboxRunReport r = outcome.report();
        String summary = "module " + r.moduleSha256().substring(0, 16) + "  fuel " + r.fuelUsed() + (r.fuelLimit() == null ? "" : "/" + r.fuelLimit())
                + "  peak memory " + r.peakMemoryBytes() + " B  " + r.duration().toMillis() + " ms  audited in " + show(log);
        if (outcome instanceof SandboxOutcome.Stopped s) {
            CliException stopped = CliException.denied(ReasonCode.SANDBOX_LIMIT.code(), "stopped: " + s.reason().code()
                    + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")") + "; " + summary).with("stop", s.reason().code());
            report(r, log).forEach(stopped::with);
            throw stopped;
        }
        SandboxOutcome.Completed c = (SandboxOutcome.Completed) outcome;
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.putAll(report(r, log));
            m.put("stdout", new String(c.stdout(), StandardCharsets.UTF_8));
            printJson(m);
        } else {
            out().print(new String(c.stdout(), StandardCharsets.UTF_8));
            out().flush();
            err().println(errStyle().green("completed ") + summary);
        }
        return ExitCodes.OK;
    }

    private static Map<String, Object> report(SandboxRunReport r, Path log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", r.moduleSha256());
        m.put("fuelUsed", r.fuelUsed());
        m.put("fuelLimit", r.fuelLimit());
        m.put("peakMemoryBytes", r.peakMemoryBytes());
        m.put("durationMicros", r.duration().toNanos() / 1000);
        m.put("exit", r.exitCode());
        m.put("audit", log.toString());
        return m;
    }

    private static byte[] read(Path file) {
        try {
            return dev.moat.internal.BoundedFiles.read(file, (int) MAX_FILE);
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw CliException.io(e.getMessage());
        } catch (IOException e) {
            throw CliException.io("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /** Appends the run to {@code <home>/audit.jsonl}, signed by the home's audit key (created on first use). */
    private static Path audit(Home home, VerifiedCapability cap, SandboxOutcome outcome) {
        Path log = home.root().resolve("audit.jsonl");
        Path keyFile = home.keysDir().resolve("moat-audit.key");
        AgentKeypair key;
        if (Files.exists(keyFile)) {
            key = KeyFiles.loadPrivate(keyFile);
        } else {
            home.createWithKeys();
            key = AgentKeypair.generate("moat-audit");
            KeyFiles.savePrivate(key, keyFile);
        }
        try (AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(log).durability(Durability.everyEntry()).build(), key).open()) {
            audit.append(SandboxAudit.event(cap.subject().value(), outcome));
        }
        return log;
    }
}
