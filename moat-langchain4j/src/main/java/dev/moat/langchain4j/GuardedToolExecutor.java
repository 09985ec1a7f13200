package dev.moat.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.audit.AuditEvent;
import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.SandboxModule;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.guard.ToolCall;
import dev.moat.langchain4j.internal.CanonicalArguments;
import dev.moat.langchain4j.internal.ResourceTemplate;
import dev.moat.langchain4j.internal.Results;
import dev.moat.langchain4j.internal.ToolCallCheck;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.secrets.SecretHandle;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ToolExecutor} that runs its delegate only when Moat allows the call. Each call is signed
 * as the agent, checked by the PEP, then by the tool's argument rules and (if required) a human
 * approval, and audited with its outcome. The delegate receives the canonical arguments that were
 * signed, checked and approved, nothing else.
 *
 * <p>A denial is returned as an error result the model reads ({@code denied: <why> (<stage>/<code>)},
 * core's {@link dev.moat.guard.DenialText}: a fixed sentence per reason code, the decision's detail
 * only when the guard is configured for detailed denials; attributes {@code moat.reason_code} and
 * {@code moat.stage}); the conversation goes on. Any failure
 * of the guard path is a denial and the delegate does not run. Exceptions of the delegate itself
 * propagate (LangChain4j's error handlers turn them into results), after being audited; when a
 * secret proxy is present they propagate as redacted copies (same LangChain4j exception type,
 * every message in the cause chain redacted), as results and their attributes are redacted.
 */
public final class GuardedToolExecutor implements ToolExecutor {
    private final Guard guard;
    private final String agent;
    private final ToolPolicy policy;
    private final ToolExecutor delegate;
    private final Approver approver;
    private final UserResolver users;
    private final String toolName;
    private final String refusal;

    public GuardedToolExecutor(Guard guard, String agent, ToolPolicy policy, ToolExecutor delegate, Approver approver) {
        this(guard, agent, policy, delegate, approver, UserResolver.NONE);
    }

    /**
     * With the end user of each call taken from its invocation context by {@code users} (a resolver
     * that throws denies the call).
     */
    public GuardedToolExecutor(Guard guard, String agent, ToolPolicy policy, ToolExecutor delegate, Approver approver,
                               UserResolver users) {
        this(guard, agent, policy.tool(), policy, delegate, approver, users, null);
    }

    /**
     * For a tool the model knows as {@code toolName} (a provider tool, whose policy is named by its
     * source: {@code mcp/files/read_file}); {@code refusal}, when not null, denies every call (the
     * policy does not fit the tool, for example a rule on an argument the tool does not have).
     */
    GuardedToolExecutor(Guard guard, String agent, String toolName, ToolPolicy policy, ToolExecutor delegate,
                        Approver approver, UserResolver users, String refusal) {
        this.toolName = Objects.requireNonNull(toolName, "toolName");
        this.refusal = refusal;
        this.users = Objects.requireNonNull(users, "users");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.approver = approver == null ? Approver.REFUSE_ALL : approver;
    }

    public ToolPolicy policy() {
        return policy;
    }

    @Override
    public String execute(ToolExecutionRequest request, Object memoryId) {
        return executeWithContext(request, InvocationContext.builder().chatMemoryId(memoryId).build()).resultText();
    }

    @Override
    public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
        if (refusal != null) {
            Decision.Deny deny = Decision.Deny.of(Stage.GUARD, ReasonCode.ARGUMENT_REJECTED, refusal);
            guard.audit().append(new AuditEvent.Decision(null, policy.resource(), policy.action(), false,
                    deny.stage().code(), deny.code().code(), deny.failure().detail(), null, null));
            return Results.denied(deny, guard.denialText());
        }
        boolean[] started = {false};
        GuardedCall<Ran> call;
        try {
            call = guarded(request, context, started);
        } catch (Throwable t) { // the guard path failed: deny, unless the tool already ran
            return started[0] ? Results.unrecorded(toolName) : Results.denied(Decision.Deny.of(Stage.GUARD,
                    ReasonCode.INTERNAL, "Moat could not decide on this call (" + t.getClass().getSimpleName() + ")"), guard.denialText());
        }
        if (call instanceof GuardedCall.Completed<Ran> done) {
            return redacted(done.value().result());
        }
        if (call instanceof GuardedCall.Denied<Ran> denied) {
            return Results.denied(denied.decision(), guard.denialText());
        }
        Exception error = ((GuardedCall.Failed<Ran>) call).error();
        if (error instanceof ReportedError reported) {
            return redacted(reported.result);
        }
        if (guard.secrets().isPresent()) { // nothing the tool throws leaves unredacted: the model and the log see this
            throw Results.redacted(error, guard.secrets().get().redactor());
        }
        throw error instanceof RuntimeException re ? re : new IllegalStateException(error);
    }

    private GuardedCall<Ran> guarded(ToolExecutionRequest request, InvocationContext context, boolean[] started) {
        byte[] arguments;
        String malformed = null;
        try {
            arguments = CanonicalArguments.canonicalise(request.arguments());
        } catch (CanonicalArguments.MalformedArguments e) {
            malformed = e.getMessage();
            arguments = request.arguments().getBytes(StandardCharsets.UTF_8);
        }
        CallContext callContext = callContext(context);
        ToolCallCheck check = new ToolCallCheck(policy, toolName, request.name(), malformed, approver, guard.audit(), callContext);
        Checked<String> filled = ResourceTemplate.fill(policy.resource(), arguments, malformed != null, callContext.user());
        if (filled instanceof Checked.Failed<String> refused) {
            Decision.Deny deny = new Decision.Deny(Stage.GUARD, refused.failure());
            guard.audit().append(new AuditEvent.Decision(null, policy.resource(), policy.action(), false,
                    deny.stage().code(), deny.code().code(), deny.failure().detail(), null, null));
            return new GuardedCall.Denied<>(deny);
        }
        String resource = filled.orThrow();
        if (policy.sandbox().isPresent()) {
            return sandboxed(arguments, check, policy.sandbox().get(), started, callContext, resource);
        }
        Decision.Allow[] approved = new Decision.Allow[1];
        ToolSecrets[] secrets = new ToolSecrets[1];
        ToolCall call = ToolCall.builder(agent, resource, policy.action()).arguments(arguments).context(callContext).check(allow -> {
            var failure = check.check(allow);
            if (failure == null && !policy.secrets().isEmpty()) {
                failure = issueSecrets(allow, secrets);
            }
            approved[0] = failure == null ? allow : null;
            return failure;
        }).build();
        return guard.call(call, () -> {
            started[0] = true;
            String signed = new String(approved[0].message().body(), StandardCharsets.UTF_8);
            ToolExecutionRequest exact = request.toBuilder().arguments(signed).build();
            ToolExecutionResult result = secrets[0] == null ? delegate.executeWithContext(exact, context)
                    : secrets[0].runWith(() -> delegate.executeWithContext(exact, context));
            if (result != null && result.isError()) {
                throw new ReportedError(result);
            }
            return new Ran(result);
        });
    }

    /** The user (from the resolver) and the conversation (the chat memory id, when it is plain text). */
    private CallContext callContext(InvocationContext context) {
        String user = users.user(context);
        Object memory = context == null ? null : context.chatMemoryId();
        String conversation = memory instanceof String || memory instanceof Number || memory instanceof java.util.UUID
                ? String.valueOf(memory) : null;
        if (user == null && conversation == null) {
            return CallContext.NONE;
        }
        return new CallContext(user, conversation, Map.of());
    }

    /** Issues the declared secrets' handles to the caller; a refusal denies the call (and revokes the rest). */
    private Failure issueSecrets(Decision.Allow allow, ToolSecrets[] out) {
        SecretProxy proxy = guard.secrets().orElseThrow();
        Map<String, SecretHandle> handles = new LinkedHashMap<>();
        for (String name : policy.secrets()) {
            Checked<SecretHandle> h = proxy.issue(allow.message().sender(), SecretName.of(name));
            if (h instanceof Checked.Failed<SecretHandle> failed) {
                handles.values().forEach(proxy::revoke);
                return failed.failure();
            }
            handles.put(name, h.orThrow());
        }
        out[0] = new ToolSecrets(proxy, allow.message().sender(), handles);
        return null;
    }

    /** Any secret value a tool result (text or attributes) echoes is redacted before it reaches the model. */
    private ToolExecutionResult redacted(ToolExecutionResult result) {
        if (result == null || guard.secrets().isEmpty()) {
            return result;
        }
        return Results.redacted(result, guard.secrets().get().redactor());
    }

    /** The WebAssembly implementation, in the sandbox, under the verified capability's limits. */
    private GuardedCall<Ran> sandboxed(byte[] arguments, ToolCallCheck check, SandboxModule module, boolean[] started,
                                       CallContext callContext, String resource) {
        GuardedCall<byte[]> call = guard.call(ToolCall.builder(agent, resource, policy.action()).arguments(arguments)
                .context(callContext)
                .check(allow -> {
                    var failure = check.check(allow);
                    started[0] = failure == null;
                    return failure;
                }).sandbox(module).build());
        if (call instanceof GuardedCall.Completed<byte[]> done) {
            String out = new String(done.value(), StandardCharsets.UTF_8);
            return new GuardedCall.Completed<>(new Ran(ToolExecutionResult.builder().resultText(out).build()), done.decision());
        }
        if (call instanceof GuardedCall.Denied<byte[]> denied) {
            return new GuardedCall.Denied<>(denied.decision());
        }
        GuardedCall.Failed<byte[]> failed = (GuardedCall.Failed<byte[]>) call;
        if (failed.error() instanceof SandboxStoppedException stopped) {
            return new GuardedCall.Failed<>(failed.decision(), new ReportedError(Results.sandboxStopped(stopped)));
        }
        return new GuardedCall.Failed<>(failed.decision(), failed.error());
    }

    /** A completed result; its text is what the audit log digests. */
    private record Ran(ToolExecutionResult result) {
        @Override
        public String toString() {
            String text = result == null ? null : result.resultText();
            return text == null ? "" : text;
        }
    }

    /** The delegate returned an error result instead of throwing: audited as an error, returned as is. */
    private static final class ReportedError extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ToolExecutionResult result;

        ReportedError(ToolExecutionResult result) {
            super("tool reported an error", null, false, false);
            this.result = result;
        }
    }
}
