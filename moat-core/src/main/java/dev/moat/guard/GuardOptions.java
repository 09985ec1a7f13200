package dev.moat.guard;

import dev.moat.secrets.SecretProxy;
import java.util.List;

/**
 * What a {@link Guard} may use beyond the PEP and the audit log; each part may be {@code null}.
 *
 * @param monitor      observes every allowed call and may block it
 * @param sandbox      runs WebAssembly tools ({@code null}: the {@link SandboxProvider}'s default on first use)
 * @param secrets      resolves the secrets a sandboxed tool's egress needs, and redacts their values
 *                     from tool results
 * @param capabilities chooses the chain each call is signed with (renewal, per-user capabilities);
 *                     {@code null}: the agent's signer's chain as it is
 * @param observers    told every final decision, monitor alert and sandbox stop ({@code null}: none)
 * @param denialText   the text a model reads for a denial ({@code null}: {@link DenialText#BRIEF})
 */
public record GuardOptions(MonitorStep monitor, SandboxRunner sandbox, SecretProxy secrets, CapabilitySource capabilities,
                           List<DecisionObserver> observers, DenialText denialText) {
    public static final GuardOptions NONE = new GuardOptions(null, null, null, null);

    public GuardOptions {
        observers = observers == null ? List.of() : List.copyOf(observers);
    }

    /** Without observers, with the brief denial text. */
    public GuardOptions(MonitorStep monitor, SandboxRunner sandbox, SecretProxy secrets, CapabilitySource capabilities) {
        this(monitor, sandbox, secrets, capabilities, null, null);
    }

    /** Without a capability source. */
    public GuardOptions(MonitorStep monitor, SandboxRunner sandbox, SecretProxy secrets) {
        this(monitor, sandbox, secrets, null);
    }
}
