package dev.moat.guard;

import dev.moat.pep.Decision;
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretProxy;
import java.util.Map;

/**
 * Extension point: the WebAssembly sandbox a {@link Guard} runs sandboxed calls in
 * ({@link ToolCall.Builder#sandbox}). moat-core has none: the module {@code dev.moat:moat-sandbox}
 * provides one ({@code dev.moat.sandbox.Sandbox} implements this interface), found through
 * {@link SandboxProvider} or given to {@code Moat.Builder.sandbox(...)}.
 *
 * <p>The guard keeps everything around the run: the decision and the call's own check, issuing
 * the egress secrets' handles after the checks and revoking them after the run, auditing the run
 * ({@link SandboxResult#audit()}) before the call's outcome, and redacting secret values from the
 * output. An implementation only runs the module. It must not throw for anything the guest does
 * or for a host-side failure: it returns {@link SandboxResult.Stopped} (fail closed); a throw is
 * still treated as a failed call.
 */
public interface SandboxRunner {
    /**
     * Runs {@code module} with the allowed call's signed arguments ({@code allow.message().body()})
     * on stdin, under the verified capability's limits ({@code allow.capability().limits()}).
     *
     * @param secrets       the guard's secret proxy; {@code null} when {@code egressHandles} is empty
     * @param egressHandles HTTP header name to the handle issued to the calling agent for this run;
     *                      the values are injected into requests the capability allows, never shown
     *                      to the guest. Empty: the sandbox's own egress settings apply.
     */
    SandboxResult run(SandboxModule module, Decision.Allow allow, SecretProxy secrets, Map<String, SecretHandle> egressHandles);
}
