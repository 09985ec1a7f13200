package dev.moat.secrets;

import dev.moat.check.Checked;
import dev.moat.identity.AgentId;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Injects secrets into a sandboxed tool's HTTP egress: for each outgoing request the host
 * resolves the given handles for the calling agent (the proxy checks the agent, the grant, the
 * declared hosts and HTTPS) and adds them as headers the guest never sees. Any refused resolution
 * refuses the request, so nothing is sent without what the host meant to add. One instance per
 * run; every resolution is an event of the proxy's listener (the audit log). The sandbox
 * (moat-sandbox) uses {@link #extraHeaders} as its egress decorator; the resolution itself stays
 * in this package, the only one that may hold a secret's value.
 */
public final class SecretEgress {
    private final SecretProxy proxy;
    private final AgentId agent;
    private final Map<String, SecretHandle> headers;

    private SecretEgress(SecretProxy proxy, AgentId agent, Map<String, SecretHandle> headers) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.headers = Map.copyOf(headers);
    }

    /** Adds header {@code name} = value of {@code handle} to every request of this run. */
    public static SecretEgress of(SecretProxy proxy, AgentId agent, Map<String, SecretHandle> headers) {
        return new SecretEgress(proxy, agent, headers);
    }

    /**
     * The headers to add to an allowed request to {@code target}: each handle resolved for the
     * agent. Throws {@link SecurityException} (naming only the header) when any is refused.
     */
    public Map<String, String> extraHeaders(String method, URI target) {
        Map<String, String> out = new LinkedHashMap<>();
        SecretUse use = SecretUse.httpHeader(target);
        for (Map.Entry<String, SecretHandle> e : headers.entrySet()) {
            Checked<Lease> lease = proxy.resolve(agent, e.getValue().value(), use);
            if (!lease.isOk() || lease.orThrow().value().containsControl(false)) {
                throw new SecurityException("secret for header " + e.getKey() + " refused: " + lease.failureOrNull());
            }
            out.put(e.getKey(), lease.orThrow().value().revealForInjection());
        }
        return out;
    }

    @Override
    public String toString() {
        return "SecretEgress[agent=" + agent.shortForm() + ", headers=" + headers.keySet() + "]";
    }
}
