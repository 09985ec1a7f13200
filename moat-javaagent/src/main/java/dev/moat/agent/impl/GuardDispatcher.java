package dev.moat.agent.impl;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.agent.bootstrap.Denial;
import dev.moat.agent.bootstrap.Dispatcher;
import dev.moat.agent.bootstrap.MoatBridge;
import dev.moat.audit.AuditEvent;
import dev.moat.check.ReasonCode;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.guard.MoatDeniedException;
import dev.moat.guard.ToolCall;
import dev.moat.langchain4j.internal.CanonicalArguments;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import dev.moat.tool.ToolPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guard side of the bridge. Builds one {@link ToolCall} per tool call (agent from the settings,
 * resource {@code tool://<name>} and action {@code execute} unless configured, canonical JSON of the
 * named arguments), decides it with {@link Guard#decide} (PEP, monitor, argument rules; audited) and,
 * for an allowed call, records the outcome when the body returns.
 *
 * <p>Enforce mode: a denial, or any internal error, skips the body. The LangChain4j hook returns an
 * error tool result the model reads; a direct method call throws {@link MoatDeniedException}; a Spring
 * AI {@code ToolCallback} throws Spring AI's {@code ToolExecutionException} (see {@link SpringAiAccess#denial}).
 * Audit-only mode: the decision is computed and audited, a denial is logged, the body runs.
 */
final class GuardDispatcher implements Dispatcher {
    /** Built on the first direct call (databind's set-up costs start-up time; framework calls never need it). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** An allowed (or, in audit-only mode, a let-through) call in progress. */
    private record Scope(Decision.Allow allow, String previousMarker, long startNanos, Object request, boolean framework) {}

    private final Guard guard;
    private final AgentSettings settings;
    private final ToolTargets targets;

    GuardDispatcher(Guard guard, AgentSettings settings, ToolTargets targets) {
        this.guard = guard;
        this.settings = settings;
        this.targets = targets;
    }

    // ---- LangChain4j: ToolService.executeWithErrorHandling(request, executor, context, ...) ----

    @Override
    public Object enterToolService(Object request, Object executor, Object context) {
        Decision decision;
        String tool = null;
        try {
            tool = LangChain4jAccess.name(request);
            ToolPolicy rule = settings.tool(tool);
            String agent = settings.identityFor(LangChain4jAccess.interfaceName(context));
            CallContext conversation = callContext(LangChain4jAccess.conversation(context));
            decision = decide(agent, rule, LangChain4jAccess.arguments(request), conversation);
        } catch (Throwable t) {
            decision = internal(t);
        }
        if (decision instanceof Decision.Allow allow) {
            return new Scope(allow, MoatBridge.markDecided(tool), System.nanoTime(), request, true);
        }
        // audit-only mode (agent: mode: audit-only) is core's: a would-deny arrives as an allow
        // (audited, logged by the guard); authentication and internal failures stay denials
        Decision.Deny deny = (Decision.Deny) decision;
        try {
            return new Denial(LangChain4jAccess.errorResult(request, guard.denialText().forModel(deny),
                    Map.of(LangChain4jAccess.REASON_CODE, deny.code().code(), LangChain4jAccess.STAGE, deny.stage().code())));
        } catch (Throwable t) {
            // no readable result can be built: throwing from the woven entry still skips the body
            throw new MoatDeniedException(deny, guard.denialText());
        }
    }

    @Override
    public Object exitToolService(Object scope, Object result, Throwable thrown) {
        Scope s = (Scope) scope;
        MoatBridge.restoreDecided(s.previousMarker());
        if (s.allow() == null) {
            return result;
        }
        long micros = (System.nanoTime() - s.startNanos()) / 1000;
        try {
            if (thrown != null) {
                guard.recordOutcome(s.allow(), AuditEvent.ToolOutcome.Status.ERROR, null, thrown.getClass().getName(), micros);
            } else if (result != null && LangChain4jAccess.isError(s.request(), result)) {
                guard.recordOutcome(s.allow(), AuditEvent.ToolOutcome.Status.ERROR, null, "tool_error", micros);
            } else {
                String text = result == null ? null : LangChain4jAccess.text(s.request(), result);
                guard.recordOutcome(s.allow(), AuditEvent.ToolOutcome.Status.OK,
                        text == null ? null : text.getBytes(StandardCharsets.UTF_8), null, micros);
            }
            return result;
        } catch (Throwable t) {
            String tool = s.allow().message().resource();
            try {
                return LangChain4jAccess.errorResult(s.request(), "error: tool '" + tool
                        + "' ran but Moat could not record its outcome (internal)",
                        Map.of(LangChain4jAccess.REASON_CODE, "internal", LangChain4jAccess.STAGE, "execution"));
            } catch (Throwable t2) {
                throw new IllegalStateException("moat: tool " + tool + " ran but its outcome could not be recorded");
            }
        }
    }

    // ---- @Tool methods and configured method patterns, called directly ----

    @Override
    public Object enterMethod(String key, Object[] args) {
        ToolTargets.Target target = targets.get(key);
        if (target != null && MoatBridge.consumeDecided(target.tool())) {
            return null; // the framework hook decided this very call: decided once
        }
        Decision decision;
        try {
            if (target == null) {
                throw new IllegalStateException("unregistered guarded method " + key);
            }
            ToolPolicy rule = settings.tool(target.tool()).withMapping(target.resource(), target.action());
            decision = decide(settings.identityFor(target.declaringClass()), rule, argumentJson(target.parameters(), args),
                    CallContext.NONE);
        } catch (Throwable t) {
            decision = internal(t);
        }
        if (decision instanceof Decision.Allow allow) {
            return new Scope(allow, null, System.nanoTime(), null, false);
        }
        throw new MoatDeniedException((Decision.Deny) decision, guard.denialText());
    }

    @Override
    public void exitMethod(Object scope, Object result, Throwable thrown) {
        if (!(scope instanceof Scope s) || s.allow() == null) {
            return;
        }
        long micros = (System.nanoTime() - s.startNanos()) / 1000;
        if (thrown != null) {
            guard.recordOutcome(s.allow(), AuditEvent.ToolOutcome.Status.ERROR, null, thrown.getClass().getName(), micros);
        } else {
            guard.recordOutcome(s.allow(), AuditEvent.ToolOutcome.Status.OK,
                    result == null ? null : String.valueOf(result).getBytes(StandardCharsets.UTF_8), null, micros);
        }
    }

    // ---- Spring AI: ToolCallback.call(input[, context]) ----

    @Override
    public Object enterToolCallback(Object callback, String input) {
        Decision decision;
        String tool = null;
        try {
            tool = SpringAiAccess.name(callback);
            if (MoatBridge.isDecided(tool)) {
                return null; // call(input) delegating to call(input, context), or a wrapper: decided once
            }
            // Spring AI has no conversation id the agent can read by name: like a direct method call, none
            decision = decide(settings.identityFor(SpringAiAccess.identityClass(callback)), settings.tool(tool), input,
                    CallContext.NONE);
        } catch (Throwable t) {
            decision = internal(t);
        }
        if (decision instanceof Decision.Allow allow) {
            return new Scope(allow, MoatBridge.markDecided(tool), System.nanoTime(), null, true);
        }
        Decision.Deny deny = (Decision.Deny) decision;
        if (!settings.enforcing()) {
            AgentLog.line("audit-only: would deny tool '" + tool + "': " + deny.explain() + "; the call runs");
            return new Scope(null, MoatBridge.markDecided(tool), System.nanoTime(), null, true);
        }
        throw SpringAiAccess.denial(callback, deny);
    }

    @Override
    public void exitToolCallback(Object scope, Object result, Throwable thrown) {
        if (!(scope instanceof Scope s)) {
            return;
        }
        MoatBridge.restoreDecided(s.previousMarker());
        exitMethod(new Scope(s.allow(), null, s.startNanos(), null, false), result, thrown);
    }

    // ---- shared ----

    /**
     * Signs and decides the call. The argument rules and budgets are core's ({@link ToolPolicy#check});
     * the conversation is the LangChain4j chat memory id (a direct method call has none, so a
     * per-conversation budget denies it). The agent has no approver, sandbox or secret injection, so
     * a tool whose entry asks for one is denied rather than run without it.
     */
    private Decision decide(String agent, ToolPolicy rule, String argumentsJson, CallContext context) {
        byte[] canonical;
        String malformed = null;
        try {
            canonical = CanonicalArguments.canonicalise(argumentsJson);
        } catch (CanonicalArguments.MalformedArguments e) {
            canonical = argumentsJson.getBytes(StandardCharsets.UTF_8);
            malformed = e.getMessage();
        }
        String unsupported = rule.approvalRequired() ? "approval" : rule.sandbox().isPresent() ? "a sandbox module"
                : !rule.secrets().isEmpty() ? "secrets" : null;
        if (unsupported != null && malformed == null) {
            malformed = "tool '" + rule.tool() + "' is configured with " + unsupported
                    + ", which the Java agent cannot provide; the call is refused";
        }
        ToolCall call = ToolCall.builder(agent, rule.resource(), rule.action())
                .arguments(canonical)
                .context(context)
                .check(rule.check(context, malformed))
                .build();
        return guard.decide(call);
    }

    private static CallContext callContext(String conversation) {
        return conversation == null ? CallContext.NONE : new CallContext(null, conversation, Map.of());
    }

    private static String argumentJson(List<String> names, Object[] args) throws Exception {
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < args.length && i < names.size(); i++) {
            named.put(names.get(i), args[i]);
        }
        return Json.MAPPER.writeValueAsString(named);
    }

    private static Decision.Deny internal(Throwable t) {
        return Decision.Deny.of(Stage.GUARD, ReasonCode.INTERNAL,
                "Moat could not decide on this call (" + t.getClass().getSimpleName() + ")");
    }
}
