package dev.moat.guard;

import dev.moat.secrets.SecretProxy;

/**
 * What a {@link Guard} may use beyond the PEP and the audit log; each part may be {@code null}.
 *
 * @param monitor      observes every allowed call and may block it
 * @param sandbox      runs WebAssembly tools ({@code null}: the {@link SandboxProvider}'s default on first use)
 * @param secrets      resolves the secrets a sandboxed tool's egress needs, and redacts their values
 *                     from tool results
 * @param capabilities chooses the chain each call is signed with (renewal, per-user capabilities);
 *                     {@code null}: the agent's signer's chain as it is
 */
public record GuardOptions(MonitorStep monitor, SandboxRunner sandbox, SecretProxy secrets, CapabilitySource capabilities) {
    public static final GuardOptions NONE = new GuardOptions(null, null, null, null);

    /** Without a capability source. */
    public GuardOptions(MonitorStep monitor, SandboxRunner sandbox, SecretProxy secrets) {
        this(monitor, sandbox, secrets, null);
    }
}
