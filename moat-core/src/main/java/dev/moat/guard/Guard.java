package dev.moat.guard;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Sha256;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.pep.Decision;
import dev.moat.pep.PolicyEnforcementPoint;
import dev.moat.pep.Stage;
import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.sandbox.EgressDecorator;
import dev.moat.sandbox.Sandbox;
import dev.moat.secrets.SecretEgress;
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.sandbox.SandboxAudit;
import dev.moat.sandbox.SandboxModule;
import dev.moat.sandbox.SandboxOutcome;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one entry point every integration uses for a guarded tool call. {@link #check} signs the
 * call as the named agent (with that agent's capability chain), runs it through the PEP and
 * returns the decision (after the runtime monitor, when one is configured, has observed an allowed
 * call); {@link #call} also runs the tool when allowed and audits the outcome
 * (result digest, error type, duration). A denial never runs the tool. Thread-safe.
 */
public final class Guard {
    /** The recipient name that in-process calls are addressed to. */
    public static final String RECIPIENT = "moat:guard";

    private final PolicyEnforcementPoint pep;
    private final Map<String, MessageSigner> signers;
    private final AuditLog audit;
    private final MonitorStep monitor;
    private final Sandbox sandbox;
    private final SecretProxy secrets;
    private Sandbox defaultSandbox;

    public Guard(PolicyEnforcementPoint pep, Map<String, MessageSigner> signers, AuditLog audit) {
        this(pep, signers, audit, GuardOptions.NONE);
    }

    /** With a runtime monitor, a sandbox and a secret proxy (see {@link GuardOptions}). */
    public Guard(PolicyEnforcementPoint pep, Map<String, MessageSigner> signers, AuditLog audit, GuardOptions options) {
        this.pep = Objects.requireNonNull(pep, "pep");
        this.signers = Map.copyOf(signers);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.monitor = options.monitor();
        this.sandbox = options.sandbox();
        this.secrets = options.secrets();
    }

    /** Names of the agents this guard can sign for. */
    public java.util.Set<String> agents() {
        return signers.keySet();
    }

    /** Signs and checks {@code call}; nothing is run (the call's own check is not applied here). */
    public Decision check(ToolCall call) {
        return check(call.agent(), call.resource(), call.action(), call.argumentsView());
    }

    /**
     * Checks {@code call}, applies its {@link ToolCall#check()} after the PEP's allow and, when
     * allowed, runs {@code body}; the decision and the outcome are audited.
     */
    public <T> GuardedCall<T> call(ToolCall call, ToolBody<T> body) {
        Objects.requireNonNull(body, "body");
        return call(call, allow -> body.run());
    }

    /** As {@link #call(ToolCall, ToolBody)}, for a body that needs the allow decision. */
    public <T> GuardedCall<T> call(ToolCall call, AllowedBody<T> body) {
        return callAllowed(call.agent(), call.resource(), call.action(), call.argumentsView(), call.check(), body);
    }

    /**
     * Records the outcome of an allowed call that ran outside this guard (a sidecar's client, an
     * MCP proxy's upstream server): one {@code tool_outcome} entry tied to the decision's message.
     *
     * @param result    the tool's result bytes (only their digest is recorded), or {@code null}
     * @param errorType the error's type name when {@code status} is {@code ERROR}, else {@code null}
     */
    public void recordOutcome(Decision.Allow allow, AuditEvent.ToolOutcome.Status status, byte[] result,
                              String errorType, long micros) {
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(status, "status");
        var msg = allow.message();
        audit.append(new AuditEvent.ToolOutcome(msg.sender().value(), msg.resource(), msg.action(), msg.id(), status,
                status == AuditEvent.ToolOutcome.Status.OK ? digest(result) : null, errorType, micros));
    }

    /** Signs and checks a call; the tool is not run. */
    public Decision check(String agent, String resource, String action, byte[] arguments) {
        MessageSigner signer = signers.get(agent);
        if (signer == null) {
            Decision.Deny deny = Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.UNKNOWN_SENDER,
                    "no identity and capability loaded for agent '" + agent + "'");
            audit.append(new AuditEvent.Decision(null, resource, action, false, deny.stage().code(),
                    deny.code().code(), deny.failure().detail(), null, null));
            return deny;
        }
        // One agent's calls are signed and checked one at a time: sequence numbers must reach the
        // PEP in the order they were issued, or a concurrent call would look like a replay. Tools
        // still run concurrently (outside this lock), and different agents never wait on each other.
        synchronized (signer) {
            MessageEnvelope env;
            try {
                env = signer.sign(RECIPIENT, resource, action, arguments == null ? new byte[0] : arguments, pep.activePolicy());
            } catch (RuntimeException e) {
                Decision.Deny deny = Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.INTERNAL,
                        "could not sign the call: " + e.getClass().getSimpleName());
                audit.append(new AuditEvent.Decision(signer.agent().id().value(), null, action, false, deny.stage().code(),
                        deny.code().code(), deny.failure().detail(), null, null));
                return deny;
            }
            Decision d = pep.evaluate(env);
            if (monitor != null && d instanceof Decision.Allow allow) {
                d = monitor.observe(allow);
                if (d instanceof Decision.Deny deny) {
                    audit.append(new AuditEvent.Decision(allow.message().sender().value(), resource, action, false,
                            deny.stage().code(), deny.code().code(), deny.failure().detail(), allow.message().id(), null));
                }
            }
            return d;
        }
    }

    /** Checks a call and, when allowed, runs {@code body}; every outcome is audited. */
    public <T> GuardedCall<T> call(String agent, String resource, String action, byte[] arguments, ToolBody<T> body) {
        return call(agent, resource, action, arguments, CallCheck.NONE, body);
    }

    /**
     * As {@link #call(String, String, String, byte[], ToolBody)}, with {@code afterPep} run between
     * the PEP's allow and the body. A failure it returns, or any exception it throws, denies the
     * call at {@link Stage#GUARD} (an exception as {@link ReasonCode#INTERNAL}); the denial is
     * audited with the message id and the body never runs.
     */
    public <T> GuardedCall<T> call(String agent, String resource, String action, byte[] arguments,
                                   CallCheck afterPep, ToolBody<T> body) {
        Objects.requireNonNull(body, "body");
        return callAllowed(agent, resource, action, arguments, afterPep, allow -> body.run());
    }

    /**
     * The general form: {@code body} receives the allow decision (the authenticated message with
     * the exact signed arguments, and the verified capability with its resource limits).
     */
    public <T> GuardedCall<T> callAllowed(String agent, String resource, String action, byte[] arguments,
                                          CallCheck afterPep, AllowedBody<T> body) {
        Objects.requireNonNull(afterPep, "afterPep");
        Objects.requireNonNull(body, "body");
        Decision d = check(agent, resource, action, arguments);
        if (d instanceof Decision.Deny deny) {
            return new GuardedCall.Denied<>(deny);
        }
        Decision.Allow allow = (Decision.Allow) d;
        var msg = allow.message();
        Decision.Deny refused = afterPep(afterPep, allow);
        if (refused != null) {
            return new GuardedCall.Denied<>(refused);
        }
        long start = System.nanoTime();
        T value;
        try {
            value = body.run(allow);
        } catch (Exception e) {
            long micros = (System.nanoTime() - start) / 1000;
            audit.append(new AuditEvent.ToolOutcome(msg.sender().value(), msg.resource(), msg.action(), msg.id(),
                    AuditEvent.ToolOutcome.Status.ERROR, null, e.getClass().getName(), micros));
            return new GuardedCall.Failed<>(allow, e);
        }
        long micros = (System.nanoTime() - start) / 1000;
        audit.append(new AuditEvent.ToolOutcome(msg.sender().value(), msg.resource(), msg.action(), msg.id(),
                AuditEvent.ToolOutcome.Status.OK, digest(value), null, micros));
        return new GuardedCall.Completed<>(value, allow);
    }

    /**
     * Checks a call and, when allowed, runs {@code module} (an untrusted WebAssembly tool) in the
     * sandbox under the verified capability's resource limits, with the signed arguments on stdin.
     * Completed runs return stdout; a run the sandbox stops is a {@link GuardedCall.Failed} with a
     * {@link SandboxStoppedException}. Every run is audited (module hash, fuel, peak memory,
     * duration, exit or trap) before the call's outcome.
     */
    public GuardedCall<byte[]> callSandboxed(String agent, String resource, String action, byte[] arguments, SandboxModule module) {
        return callSandboxed(agent, resource, action, arguments, CallCheck.NONE, module);
    }

    /** As {@link #callSandboxed(String, String, String, byte[], SandboxModule)} with a guard check. */
    public GuardedCall<byte[]> callSandboxed(String agent, String resource, String action, byte[] arguments,
                                            CallCheck afterPep, SandboxModule module) {
        return callSandboxed(agent, resource, action, arguments, afterPep, module, Map.of());
    }

    /**
     * As {@link #callSandboxed(String, String, String, byte[], CallCheck, SandboxModule)}, where the
     * tool's HTTP egress carries secrets: header name to secret name. After the checks, a handle per
     * secret is issued to the calling agent (a refusal denies the call at stage {@code guard}); the
     * proxy injects the values into requests to the hosts each secret is declared for; the guest
     * never sees a handle or a value; the handles are revoked when the run ends, and any secret value
     * in the tool's output is redacted before it is returned.
     */
    public GuardedCall<byte[]> callSandboxed(String agent, String resource, String action, byte[] arguments,
                                            CallCheck afterPep, SandboxModule module, Map<String, SecretName> egressSecrets) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(egressSecrets, "egressSecrets");
        if (!egressSecrets.isEmpty() && secrets == null) {
            throw new MoatException("this guard has no secret proxy: declare secrets in the policy or give Moat.Builder.secrets(...)");
        }
        Map<String, SecretHandle> handles = new LinkedHashMap<>();
        CallCheck issue = allow -> {
            Failure f = afterPep.check(allow);
            if (f != null) {
                return f;
            }
            for (Map.Entry<String, SecretName> e : egressSecrets.entrySet()) {
                Checked<SecretHandle> h = secrets.issue(allow.message().sender(), e.getValue());
                if (h instanceof Checked.Failed<SecretHandle> failed) {
                    return failed.failure();
                }
                handles.put(e.getKey(), h.orThrow());
            }
            return null;
        };
        try {
            return callAllowed(agent, resource, action, arguments, issue, allow -> {
                EgressDecorator egress = handles.isEmpty() ? sandbox().config().egressDecorator()
                        : SecretEgress.of(secrets, allow.message().sender(), handles);
                SandboxOutcome outcome = sandbox().run(module, allow.capability().limits(), allow.message().body(), egress);
                audit.append(SandboxAudit.event(allow.message().sender().value(), outcome));
                if (outcome instanceof SandboxOutcome.Stopped stopped) {
                    throw new SandboxStoppedException(stopped);
                }
                byte[] out = ((SandboxOutcome.Completed) outcome).stdout();
                return secrets == null ? out : secrets.redactor().redact(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            });
        } finally {
            for (SecretHandle h : handles.values()) {
                secrets.revoke(h);
            }
        }
    }

    private Sandbox sandbox() {
        Sandbox s = sandbox;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (defaultSandbox == null) {
                defaultSandbox = Sandbox.builder().build();
            }
            return defaultSandbox;
        }
    }

    /** Convenience for JSON-text arguments. */
    public Decision check(String agent, String resource, String action, String argumentsJson) {
        return check(agent, resource, action, argumentsJson == null ? new byte[0] : argumentsJson.getBytes(StandardCharsets.UTF_8));
    }

    public PolicyEnforcementPoint pep() {
        return pep;
    }

    /** The secret proxy, when this guard has one (tools' results are then redacted by adapters). */
    public java.util.Optional<SecretProxy> secrets() {
        return java.util.Optional.ofNullable(secrets);
    }

    public AuditLog audit() {
        return audit;
    }

    /**
     * Checks {@code call} and applies its {@link ToolCall#check()} as {@link #call} does, but runs
     * nothing: for adapters whose tool body runs outside the guard (the Java agent's advice). A
     * refusal by the check is audited; report an allowed call's outcome with {@link #recordOutcome}.
     */
    public Decision decide(ToolCall call) {
        Decision d = check(call);
        if (d instanceof Decision.Allow allow) {
            Decision.Deny refused = afterPep(call.check(), allow);
            return refused != null ? refused : allow;
        }
        return d;
    }

    /** Runs the after-PEP check; a refusal is audited with the message id and returned. */
    private Decision.Deny afterPep(CallCheck check, Decision.Allow allow) {
        Decision.Deny refused = runCheck(check, allow);
        if (refused != null) {
            var msg = allow.message();
            audit.append(new AuditEvent.Decision(msg.sender().value(), msg.resource(), msg.action(), false,
                    refused.stage().code(), refused.code().code(), refused.failure().detail(), msg.id(), null));
        }
        return refused;
    }

    private static Decision.Deny runCheck(CallCheck check, Decision.Allow allow) {
        try {
            Failure f = check.check(allow);
            return f == null ? null : new Decision.Deny(Stage.GUARD, f);
        } catch (Throwable e) { // any failure of the check denies: fail closed
            return Decision.Deny.of(Stage.GUARD, ReasonCode.INTERNAL, "guard check failed: " + e.getClass().getSimpleName());
        }
    }

    private static String digest(Object value) {
        byte[] bytes = value == null ? new byte[0]
                : value instanceof byte[] b ? b : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        return Base64Url.encode(Sha256.hash(bytes));
    }
}
