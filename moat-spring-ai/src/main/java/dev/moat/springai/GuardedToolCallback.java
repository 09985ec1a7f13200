package dev.moat.springai;

import dev.moat.check.ReasonCode;
import dev.moat.guard.AllowedBody;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.springai.internal.ToolArguments;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.metadata.ToolMetadata;

/**
 * A Spring AI {@link ToolCallback} that runs its delegate only when Moat allows the call. Each call
 * is the one {@link ToolCall} value: resource {@code tool://<name>} (or the one configured),
 * action, the model's JSON arguments in core's canonical form (numbers as written), the end user
 * from the {@link ToolContext}; it is signed as the agent, checked by the PEP, then by the tool's
 * {@link ToolPolicy} (core's argument rules, approval, budgets), and audited with its outcome. The delegate
 * receives the canonical arguments that were signed and checked, nothing else.
 *
 * <p>A denial is returned as the tool's result, a text the model reads
 * ({@code denied: <why> (<stage>/<code>)}), so the chat goes on. Any failure on the guard path is
 * a denial and the delegate does not run. What the delegate itself throws is audited and then
 * propagates unchanged, so Spring AI's {@code ToolExecutionExceptionProcessor} handles it as it
 * would without Moat.
 */
public final class GuardedToolCallback implements ToolCallback {
    /** The tool-context key naming the conversation (per-conversation budgets). */
    public static final String CONVERSATION_KEY = "moat.conversation";

    private final ToolCallback delegate;
    private final Guard guard;
    private final String agent;
    private final ToolPolicy policy;
    private final Approver approver;
    private final UserResolver users;

    GuardedToolCallback(ToolCallback delegate, Guard guard, String agent, ToolPolicy policy, Approver approver,
                        UserResolver users) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.approver = approver;
        this.users = Objects.requireNonNull(users, "users");
    }

    /** The tool's name, as the model calls it. */
    public String name() {
        return delegate.getToolDefinition().name();
    }

    /** The resource the agent's capability must grant for this tool. */
    public String resource() {
        return policy.resource();
    }

    /** How this tool is guarded: resource, action, argument rules, approval. */
    public ToolPolicy policy() {
        return policy;
    }

    /** The agent whose capability signs this tool's calls. */
    public String agent() {
        return agent;
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return delegate.getToolDefinition();
    }

    @Override
    public ToolMetadata getToolMetadata() {
        return delegate.getToolMetadata();
    }

    @Override
    public String call(String toolInput) {
        return call(toolInput, null);
    }

    @Override
    public String call(String toolInput, ToolContext toolContext) {
        GuardedCall<String> outcome = guarded(toolInput, toolContext);
        if (outcome instanceof GuardedCall.Completed<String> done) {
            return done.value();
        }
        if (outcome instanceof GuardedCall.Denied<String> denied) {
            return guard.denialText().forModel(denied.decision());
        }
        Exception error = ((GuardedCall.Failed<String>) outcome).error();
        if (error instanceof RuntimeException re) {
            throw re;
        }
        throw new ToolExecutionException(getToolDefinition(), error);
    }

    /**
     * The guarded call with its typed outcome: completed (the delegate's result), denied (the
     * decision with stage and reason; the delegate did not run) or failed (the delegate threw).
     * Never throws for a guard failure: that is a denial.
     */
    public GuardedCall<String> guarded(String toolInput, ToolContext toolContext) {
        boolean[] started = {false};
        GuardedCall<String> outcome;
        try {
            outcome = run(toolInput, toolContext, started);
        } catch (Throwable t) { // the guard path failed: deny, unless the tool already ran
            outcome = started[0]
                    ? new GuardedCall.Failed<>(null, new ToolExecutionException(getToolDefinition(),
                            new IllegalStateException("tool '" + name() + "' ran but Moat could not record its outcome (internal)")))
                    : new GuardedCall.Denied<>(Decision.Deny.of(Stage.GUARD, ReasonCode.INTERNAL,
                            "Moat could not decide on this call (" + t.getClass().getSimpleName() + ")"));
        }
        return outcome;
    }

    private GuardedCall<String> run(String toolInput, ToolContext toolContext, boolean[] started) {
        byte[] arguments;
        String malformed = null;
        try {
            arguments = ToolArguments.canonicalise(toolInput);
        } catch (ToolArguments.Malformed e) { // signed and audited as sent, then refused: the tool never sees it
            arguments = toolInput.getBytes(StandardCharsets.UTF_8);
            malformed = e.getMessage();
        }
        CallContext context = callContext(toolContext);
        ToolCall call = ToolCall.builder(agent, policy.resource(), policy.action()).arguments(arguments).context(context)
                .check(policy.check(context, malformed, approver, guard.audit())).build();
        AllowedBody<String> body = allow -> {
            started[0] = true;
            String signed = new String(allow.message().body(), StandardCharsets.UTF_8);
            return delegate.call(signed, toolContext);
        };
        return guard.call(call, body);
    }

    /** The user (from the resolver) and the conversation (tool-context key {@value #CONVERSATION_KEY}). */
    private CallContext callContext(ToolContext toolContext) {
        String user = users.user(toolContext);
        Object c = toolContext == null || toolContext.getContext() == null ? null : toolContext.getContext().get(CONVERSATION_KEY);
        String conversation = c instanceof String s ? s : null;
        if (user == null && conversation == null) {
            return CallContext.NONE;
        }
        return new CallContext(user, conversation, Map.of("framework", "spring-ai"));
    }

    @Override
    public String toString() {
        return "GuardedToolCallback[" + name() + " -> " + policy.resource() + " " + policy.action() + " as " + agent + "]";
    }
}
