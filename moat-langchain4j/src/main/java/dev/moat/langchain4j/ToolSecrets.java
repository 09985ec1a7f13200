package dev.moat.langchain4j;

import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.identity.AgentId;
import dev.moat.secrets.RedactedResponse;
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretHttp;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProcess;
import dev.moat.secrets.SecretProxy;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The secrets a tool declared with {@code @MoatTool(secrets = ...)}, for the duration of one call:
 * opaque handles issued to the calling agent, usable only through the injectors below, revoked
 * when the call ends. The tool never holds a value: {@link #http} injects into request headers (for
 * hosts the secret is declared for) and returns the response redacted; {@link #start} injects into
 * a child process's environment. Available on the tool's thread through {@link #current()}.
 */
public final class ToolSecrets {
    private static final ThreadLocal<ToolSecrets> CURRENT = new ThreadLocal<>();

    private final SecretProxy proxy;
    private final AgentId agent;
    private final Map<String, SecretHandle> handles;

    ToolSecrets(SecretProxy proxy, AgentId agent, Map<String, SecretHandle> handles) {
        this.proxy = proxy;
        this.agent = agent;
        this.handles = Map.copyOf(handles);
    }

    /** The secrets of the tool call running on this thread. */
    public static ToolSecrets current() {
        ToolSecrets s = CURRENT.get();
        if (s == null) {
            throw new MoatException("no Moat tool call with declared secrets is running on this thread");
        }
        return s;
    }

    /** The handle for a declared secret (opaque: safe to log, useless to anyone but this agent). */
    public SecretHandle handle(String secretName) {
        SecretHandle h = handles.get(secretName);
        if (h == null) {
            throw new MoatException("this tool did not declare the secret '" + SecretName.of(secretName).hash() + "'");
        }
        return h;
    }

    /**
     * Sends {@code request} with header {@code name} set to the value of the secret mapped to it,
     * and returns the response with every secret value redacted. A refusal (wrong host, plain
     * HTTP, revoked) is a failure and nothing is sent.
     */
    public Checked<RedactedResponse> http(HttpRequest request, Map<String, String> headerToSecret) {
        Map<String, SecretHandle> byHeader = new LinkedHashMap<>();
        headerToSecret.forEach((header, secret) -> byHeader.put(header, handle(secret)));
        return SecretHttp.create(proxy).send(agent, request, byHeader);
    }

    /** Starts {@code builder} with environment variable {@code name} set to the secret mapped to it. */
    public Checked<Process> start(ProcessBuilder builder, Map<String, String> envToSecret) {
        Map<String, SecretHandle> byVar = new LinkedHashMap<>();
        envToSecret.forEach((var, secret) -> byVar.put(var, handle(secret)));
        return new SecretProcess(proxy).start(agent, builder, byVar);
    }

    <T> T runWith(Body<T> body) throws Exception {
        ToolSecrets previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            handles.values().forEach(proxy::revoke);
        }
    }

    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    @Override
    public String toString() {
        return "ToolSecrets[agent=" + agent.shortForm() + ", secrets=" + handles.size() + "]";
    }
}
