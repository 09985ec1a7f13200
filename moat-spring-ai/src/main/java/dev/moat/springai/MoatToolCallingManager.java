package dev.moat.springai;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import dev.moat.springai.internal.ToolOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * A {@link ToolCallingManager} that guards every tool call the model makes, whatever registered the
 * tool: default tools, per-request {@code .tools(...)}, providers, or tools the resolver finds by
 * name. Spring AI 2.0's {@code ToolCallingAdvisor} and 1.x chat models both execute tools through
 * this bean, so one decorator sees them all.
 *
 * <p>Before delegating, the prompt's tool callbacks are replaced by {@link GuardedToolCallback}s,
 * and every tool name the model called that is not among them is resolved here (through the
 * resolver the delegate would use) and guarded too; a name nobody resolves becomes a guarded
 * callback that refuses to run, so the delegate's own fallback resolution never runs a tool
 * unguarded. Tool definitions and everything else (limits, observations, the exception processor,
 * return-direct) stay the delegate's ({@code DefaultToolCallingManager} is final: this delegates).
 */
public final class MoatToolCallingManager implements ToolCallingManager {
    private final ToolCallingManager delegate;
    private final ToolCallbackResolver resolver;
    private final MoatToolCallbacks tools;

    MoatToolCallingManager(ToolCallingManager delegate, ToolCallbackResolver resolver, MoatToolCallbacks tools) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.resolver = resolver;
        this.tools = Objects.requireNonNull(tools, "tools");
    }

    /** The manager this one decorates. */
    public ToolCallingManager delegate() {
        return delegate;
    }

    @Override
    public List<ToolDefinition> resolveToolDefinitions(ToolCallingChatOptions chatOptions) {
        return delegate.resolveToolDefinitions(chatOptions);
    }

    @Override
    public ToolExecutionResult executeToolCalls(Prompt prompt, ChatResponse chatResponse) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(chatResponse, "chatResponse");
        List<ToolCallback> present = prompt.getOptions() instanceof ToolCallingChatOptions o && o.getToolCallbacks() != null
                ? o.getToolCallbacks() : List.of();
        List<ToolCallback> guarded = new ArrayList<>(present.size());
        Set<String> names = new LinkedHashSet<>();
        for (ToolCallback cb : present) {
            guarded.add(tools.guard(cb));
            names.add(cb.getToolDefinition().name());
        }
        for (String called : calledTools(chatResponse)) {
            if (names.add(called)) {
                ToolCallback found = resolver == null ? null : resolver.resolve(called);
                guarded.add(tools.guard(found != null ? found : new UnknownToolCallback(called)));
            }
        }
        ToolCallingChatOptions options = ToolOptions.withCallbacks(
                prompt.getOptions() instanceof ToolCallingChatOptions o ? o : null, guarded);
        return delegate.executeToolCalls(new Prompt(prompt.getInstructions(), options), chatResponse);
    }

    private static Set<String> calledTools(ChatResponse response) {
        Set<String> out = new LinkedHashSet<>();
        for (Generation g : response.getResults()) {
            AssistantMessage m = g.getOutput();
            if (m != null && m.getToolCalls() != null) {
                m.getToolCalls().forEach(c -> out.add(c.name()));
            }
        }
        return out;
    }
}
