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
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one entry point every integration uses for a guarded tool call, given as one
 * {@link ToolCall}. {@link #check(ToolCall)} signs the call as the named agent (with that agent's
 * capability chain), runs it through the PEP and returns the decision (after the runtime monitor,
 * when one is configured, has observed an allowed call); {@link #call(ToolCall, ToolBody)} also
 * runs the tool when allowed and audits the outcome (result digest, error type, duration);
 * {@link #call(ToolCall)} runs a WebAssembly tool in the sandbox; {@link #recordOutcome} audits a
 * tool that ran elsewhere. A denial never runs the tool. Thread-safe.
 */
public final class Guard {
    /** The recipient name that in-process calls are addressed to. */
    public static final String RECIPIENT = "moat:guard";

    private final PolicyEnforcementPoint pep;
    private final Map<String, MessageSigner> signers;
    private final AuditLog audit;
    private final MonitorStep monitor;
    private final SandboxRunner sandbox;
    private final SecretProxy secrets;
    private final CapabilitySource capabilities;
    private final DenialText denialText;
    /** The application's observers, or {@code null} when none (a plain allow then costs nothing extra). */
    private final Observers observers;
    private final DecisionObserver denialLog = new DenialLog();
    private SandboxRunner defaultSandbox;

    public Guard(PolicyEnforcementPoint pep, Map<String, MessageSigner> signers, AuditLog audit) {
        this(pep, signers, audit, GuardOptions.NONE);
    }

    /** With a runtime monitor, a sandbox and a secret proxy (see {@link GuardOptions}). */
    public Guard(PolicyEnforcementPoint pep, Map<String, MessageSigner> signers, AuditLog audit, GuardOptions options) {
        this.pep = Objects.requireNonNull(pep, "pep");
        this.signers = new java.util.concurrent.ConcurrentHashMap<>(signers);
        this.audit = Objects.requireNonNull(audit, "audit");
        this.monitor = options.monitor();
        this.sandbox = options.sandbox();
        this.secrets = options.secrets();
        this.capabilities = options.capabilities() == null ? CapabilitySource.CURRENT : options.capabilities();
        this.denialText = options.denialText() == null ? DenialText.BRIEF : options.denialText();
        this.observers = options.observers().isEmpty() ? null : new Observers(options.observers());
        if (monitor != null && observers != null) {
            monitor.observe(observers);
        }
    }

    /** The text a model reads for a denial, as this guard is configured (brief unless detailed was asked for). */
    public DenialText denialText() {
        return denialText;
    }

    /** How many times an observer threw (each was caught; no decision changed). */
    public long observerFailures() {
        return observers == null ? 0 : observers.failures();
    }

    /**
     * Makes this guard sign for one more agent (a capability issued or delegated at runtime to an
     * agent whose key the application holds). An agent it already signs for keeps its signer, so
     * its sequence numbers continue; the signer given then is ignored and the existing one returned.
     */
    public MessageSigner install(String agent, MessageSigner signer) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(signer, "signer");
        MessageSigner existing = signers.putIfAbsent(agent, signer);
        return existing == null ? signer : existing;
    }

    /** The signer for {@code agent}, if this guard signs for it. */
    public java.util.Optional<MessageSigner> signer(String agent) {
        return java.util.Optional.ofNullable(signers.get(agent));
    }

    /** Names of the agents this guard can sign for. */
    public java.util.Set<String> agents() {
        return java.util.Set.copyOf(signers.keySet());
    }

    /**
     * The capability chain {@code agent} signs with (unverified here; every call is verified by the
     * PEP). Adapters use it to show a model only the tools it may call, never to decide a call.
     */
    public java.util.Optional<dev.moat.token.TokenChain> capability(String agent) {
        MessageSigner signer = signers.get(agent);
        return signer == null ? java.util.Optional.empty() : java.util.Optional.of(signer.chain());
    }

    /**
     * Signs {@code call} as its agent (with that agent's capability chain), runs it through the PEP
     * and, when one is configured, the runtime monitor; nothing is run and the call's own
     * {@link ToolCall#check()} is not applied. Denials are audited.
     */
    public Decision check(ToolCall call) {
        Objects.requireNonNull(call, "call");
        long start = observers == null ? 0 : System.nanoTime();
        Decision d = decide(call.agent(), call.resource(), call.action(), call.argumentsView(), call.context());
        report(call, d, start);
        return d;
    }

    /**
     * Checks {@code call}, applies its {@link ToolCall#check()} after the PEP's allow (a failure it
     * returns, or any exception it throws, denies the call at {@link Stage#GUARD}, an exception as
     * {@link ReasonCode#INTERNAL}; the denial is audited with the message id) and, when allowed,
     * runs {@code body}; the decision and the outcome (result digest, error type, duration) are
     * audited. A denial never runs the body. For a sandboxed call use {@link #call(ToolCall)}.
     */
    public <T> GuardedCall<T> call(ToolCall call, ToolBody<T> body) {
        Objects.requireNonNull(body, "body");
        return call(call, allow -> body.run());
    }

    /**
     * As {@link #call(ToolCall, ToolBody)}, for a body that needs the allow decision: the
     * authenticated message with the exact signed arguments, and the verified capability with its
     * resource limits.
     */
    public <T> GuardedCall<T> call(ToolCall call, AllowedBody<T> body) {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(body, "body");
        if (call.sandbox().isPresent()) {
            throw new IllegalArgumentException("a sandboxed call runs its module, not a Java body: use Guard.call(ToolCall)");
        }
        return run(call, call.check(), true, body);
    }

    /**
     * Runs a sandboxed call ({@link ToolCall.Builder#sandbox}): checks it as {@link #call(ToolCall,
     * ToolBody)} does and, when allowed, runs the untrusted WebAssembly module in the sandbox under
     * the verified capability's resource limits, with the signed arguments on stdin. Completed runs
     * return stdout; a run the sandbox stops is a {@link GuardedCall.Failed} with a
     * {@link SandboxStoppedException}. Every run is audited (module hash, fuel, peak memory,
     * duration, exit or trap) before the call's outcome.
     *
     * <p>When the call's egress carries secrets ({@link ToolCall.Builder#egressSecret}), a handle
     * per secret is issued to the calling agent after the checks (a refusal denies the call at
     * stage {@code guard}); the sandbox injects the values into requests to the hosts each secret
     * is declared for; the guest never sees a handle or a value; the handles are revoked when the
     * run ends. Any secret value in the output is redacted before it is returned.
     *
     * @throws MoatException when no sandbox is available (the module {@code moat-sandbox} is not on
     *                       the class path and none was configured) or the call needs secrets and
     *                       this guard has no secret proxy: nothing runs, and never unsandboxed
     */
    public GuardedCall<byte[]> call(ToolCall call) {
        Objects.requireNonNull(call, "call");
        SandboxModule module = call.sandbox().orElseThrow(() -> new IllegalArgumentException(
                "the call has no sandbox module: give one with ToolCall.Builder.sandbox(...), or a body"));
        Map<String, SecretName> egressSecrets = call.egressSecrets();
        if (!egressSecrets.isEmpty() && secrets == null) {
            throw new MoatException("this guard has no secret proxy: declare secrets in the policy or give Moat.Builder.secrets(...)");
        }
        SandboxRunner runner = sandbox();
        CallCheck afterPep = call.check();
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
            // argument rejections of a sandboxed call stay enforced in audit-only mode: its check
            // also issues the secret handles, and a refused secret must never let the module run
            return run(call, issue, false, allow -> {
                SandboxResult result = runner.run(module, allow, handles.isEmpty() ? null : secrets, Map.copyOf(handles));
                audit.append(result.audit());
                if (result instanceof SandboxResult.Stopped stopped) {
                    if (observers != null) {
                        observers.onSandboxStop(allow.message().sender().value(), stopped.reason());
                    }
                    throw stopped.reason();
                }
                byte[] out = ((SandboxResult.Completed) result).stdout();
                return secrets == null ? out : secrets.redactor().redact(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            });
        } finally {
            for (SecretHandle h : handles.values()) {
                secrets.revoke(h);
            }
        }
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

    /**
     * Whether this guard can run sandboxed calls: a sandbox was configured, or the module
     * {@code moat-sandbox} is on the class path. Adapters check it when they are built, so a tool
     * that needs WebAssembly fails at start-up rather than on its first call.
     */
    public boolean sandboxAvailable() {
        return sandbox != null || SandboxProvider.find().isPresent();
    }

    private Decision decide(String agent, String resource, String action, byte[] arguments, CallContext context) {
        MessageSigner signer = signers.get(agent);
        if (signer == null) {
            Decision.Deny deny = Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.UNKNOWN_SENDER,
                    "no identity and capability loaded for agent '" + agent + "'");
            audit.append(new AuditEvent.Decision(null, resource, action, false, deny.stage().code(),
                    deny.code().code(), deny.failure().detail(), null, null).withUser(context.user()));
            return deny;
        }
        // One agent's calls are signed and checked concurrently when the PEP's replay window accepts
        // numbers that arrive slightly out of order, each once (spec/PROTOCOL.md 10.4). Over a store
        // shared with other instances numbers must arrive in order: then one call at a time per agent
        // (tools still run concurrently, outside the lock; other agents never wait).
        if (pep.acceptsOutOfOrder()) {
            return signAndDecide(signer, agent, resource, action, arguments, context);
        }
        synchronized (signer) {
            return signAndDecide(signer, agent, resource, action, arguments, context);
        }
    }

    private Decision signAndDecide(MessageSigner signer, String agent, String resource, String action, byte[] arguments,
                                   CallContext context) {
        TokenChain chain;
        try {
            Checked<TokenChain> selected = capabilities.select(agent, context, signer.chain());
            if (selected instanceof Checked.Failed<TokenChain> failed) {
                Decision.Deny deny = new Decision.Deny(Stage.CAPABILITY, failed.failure());
                audit.append(new AuditEvent.Decision(signer.agent().id().value(), resource, action, false, deny.stage().code(),
                        deny.code().code(), deny.failure().detail(), null, null).withUser(context.user()));
                return deny;
            }
            chain = selected.orThrow();
        } catch (RuntimeException e) {
            Decision.Deny deny = Decision.Deny.of(Stage.CAPABILITY, ReasonCode.INTERNAL,
                    "could not select the capability: " + e.getClass().getSimpleName());
            audit.append(new AuditEvent.Decision(signer.agent().id().value(), resource, action, false, deny.stage().code(),
                    deny.code().code(), deny.failure().detail(), null, null).withUser(context.user()));
            return deny;
        }
        MessageEnvelope env;
        try {
            env = signer.sign(chain, RECIPIENT, resource, action, arguments, pep.activePolicy());
        } catch (RuntimeException e) {
            Decision.Deny deny = Decision.Deny.of(Stage.AUTHENTICATION, ReasonCode.INTERNAL,
                    "could not sign the call: " + e.getClass().getSimpleName());
            audit.append(new AuditEvent.Decision(signer.agent().id().value(), null, action, false, deny.stage().code(),
                    deny.code().code(), deny.failure().detail(), null, null).withUser(context.user()));
            return deny;
        }
        // In-process fast path: the PEP skips re-verifying the signature only because this very
        // signer object made this very envelope a moment ago (spec/PROTOCOL.md 10.5).
        Decision d = pep.evaluate(env, signer, context.user());
        if (monitor != null && d instanceof Decision.Allow allow) {
            d = monitor.observe(allow);
            if (d instanceof Decision.Deny deny) {
                var msg = allow.message();
                if (pep.shadow().shadows(deny, msg.sender(), msg.resource())) { // audit-only: record, let it run
                    audit.append(AuditEvent.Decision.wouldDeny(msg.sender().value(), resource, action,
                            deny.stage().code(), deny.code().code(), deny.failure().detail(), msg.id()).withUser(context.user()));
                    d = allow.wouldHaveDenied(deny);
                } else {
                    audit.append(new AuditEvent.Decision(msg.sender().value(), resource, action, false,
                            deny.stage().code(), deny.code().code(), deny.failure().detail(), msg.id(), null).withUser(context.user()));
                }
            }
        }
        return d;
    }

    private <T> GuardedCall<T> run(ToolCall call, CallCheck afterPep, boolean shadowable, AllowedBody<T> body) {
        Decision d = decided(call, afterPep, shadowable);
        if (d instanceof Decision.Deny deny) {
            return new GuardedCall.Denied<>(deny);
        }
        Decision.Allow allow = (Decision.Allow) d;
        var msg = allow.message();
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

    private SandboxRunner sandbox() {
        SandboxRunner s = sandbox;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (defaultSandbox == null) {
                defaultSandbox = SandboxProvider.require("a sandboxed tool call").create(null);
            }
            return defaultSandbox;
        }
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
        Objects.requireNonNull(call, "call");
        return decided(call, call.check(), true);
    }

    /** PEP, monitor and the after-PEP check; the final decision is reported once. */
    private Decision decided(ToolCall call, CallCheck check, boolean shadowable) {
        long start = observers == null ? 0 : System.nanoTime();
        Decision d = decide(call.agent(), call.resource(), call.action(), call.argumentsView(), call.context());
        if (d instanceof Decision.Allow allow) {
            d = afterPep(check, allow, shadowable, call.context().user());
        }
        report(call, d, start);
        return d;
    }

    /**
     * Runs the after-PEP check; a refusal is audited with the message id and returned. In audit-only
     * mode a refusal {@link dev.moat.pep.ShadowMode#covers covered} by it (when {@code shadowable})
     * is audited as a would-deny and the allow returned, marked with it.
     */
    private Decision afterPep(CallCheck check, Decision.Allow allow, boolean shadowable, String user) {
        Decision.Deny refused = runCheck(check, allow);
        if (refused == null) {
            return allow;
        }
        var msg = allow.message();
        if (shadowable && pep.shadow().shadows(refused, msg.sender(), msg.resource())) {
            audit.append(AuditEvent.Decision.wouldDeny(msg.sender().value(), msg.resource(), msg.action(),
                    refused.stage().code(), refused.code().code(), refused.failure().detail(), msg.id()).withUser(user));
            return allow.wouldHaveDenied(refused);
        }
        audit.append(new AuditEvent.Decision(msg.sender().value(), msg.resource(), msg.action(), false,
                refused.stage().code(), refused.code().code(), refused.failure().detail(), msg.id(), null).withUser(user));
        return refused;
    }

    /**
     * Tells the denial log (denials and would-denies) and the observers (every decision). A plain
     * allow with no observer returns at once.
     */
    private void report(ToolCall call, Decision d, long start) {
        if (observers == null && d instanceof Decision.Allow a && a.wouldDeny() == null) {
            return;
        }
        GuardEvent e = GuardEvent.of(call.agent(), call.resource(), call.action(), d,
                observers == null ? 0 : System.nanoTime() - start);
        if (e.outcome() != GuardEvent.Outcome.ALLOWED) {
            try {
                denialLog.onDecision(e);
            } catch (RuntimeException ignored) {
                // logging never decides
            }
        }
        if (observers != null) {
            observers.onDecision(e);
        }
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
