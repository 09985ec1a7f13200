package dev.moat.secrets;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.identity.AgentId;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Launches a tool's child process with secrets in its environment. Every handle must resolve for
 * the agent (and its secret be declared with {@code processEnv}) or nothing starts. The values are
 * removed from the {@link ProcessBuilder} again once the process has started, so the builder does
 * not keep them. Redact the process's output with {@link SecretProxy#redactor()} before a model
 * sees it.
 */
public final class SecretProcess {
    private final SecretProxy proxy;

    public SecretProcess(SecretProxy proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
    }

    /** Resolves {@code env} (variable name to handle) for {@code agent}, injects, starts. */
    public Checked<Process> start(AgentId agent, ProcessBuilder builder, Map<String, SecretHandle> env) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(builder, "builder");
        Map<String, Lease> leases = new LinkedHashMap<>();
        for (Map.Entry<String, SecretHandle> e : env.entrySet()) {
            if (!validVariable(e.getKey())) {
                return Checked.failed(ReasonCode.ARGUMENT_REJECTED, "invalid environment variable name");
            }
            Checked<Lease> lease = proxy.resolve(agent, e.getValue().value(), SecretUse.processEnv(e.getKey()));
            if (!lease.isOk()) {
                return Checked.failed(lease.failureOrNull());
            }
            leases.put(e.getKey(), lease.orThrow());
        }
        Map<String, String> environment = builder.environment();
        Map<String, String> previous = new HashMap<>();
        try {
            for (Map.Entry<String, Lease> e : leases.entrySet()) {
                previous.put(e.getKey(), environment.get(e.getKey()));
                environment.put(e.getKey(), e.getValue().value().revealForInjection());
            }
            return Checked.ok(builder.start());
        } catch (IOException e) {
            return Checked.failed(ReasonCode.INTERNAL, "process start failed: " + e.getClass().getSimpleName());
        } catch (IllegalArgumentException | SecurityException | UnsupportedOperationException e) {
            // ProcessEnvironment's messages quote the value: never pass them on
            return Checked.failed(ReasonCode.ARGUMENT_REJECTED, "process start rejected: " + e.getClass().getSimpleName());
        } finally {
            for (Map.Entry<String, String> p : previous.entrySet()) {
                if (p.getValue() == null) {
                    environment.remove(p.getKey());
                } else {
                    environment.put(p.getKey(), p.getValue());
                }
            }
        }
    }

    private static boolean validVariable(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SecretProcess";
    }
}
