package dev.moat.langchain4j;

import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.moat.guard.Guard;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Wraps a {@link ToolProvider} (an MCP tool provider, dynamic tools) so that every tool it provides
 * runs through a {@link GuardedToolExecutor}, with the policy {@code policies} gives for its name.
 * Specifications and return behaviour are passed through unchanged.
 */
public final class GuardedToolProvider implements ToolProvider {
    private final ToolProvider delegate;
    private final Guard guard;
    private final String agent;
    private final Function<String, ToolPolicy> policies;
    private final Approver approver;
    private final UserResolver users;

    public GuardedToolProvider(ToolProvider delegate, Guard guard, String agent, Function<String, ToolPolicy> policies,
                               Approver approver) {
        this(delegate, guard, agent, policies, approver, UserResolver.NONE);
    }

    /** With the end user of each call found by {@code users} (see {@link UserResolver}). */
    public GuardedToolProvider(ToolProvider delegate, Guard guard, String agent, Function<String, ToolPolicy> policies,
                               Approver approver, UserResolver users) {
        this.users = Objects.requireNonNull(users, "users");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.approver = approver;
    }

    @Override
    public ToolProviderResult provideTools(ToolProviderRequest request) {
        ToolProviderResult provided = delegate.provideTools(request);
        if (provided == null) {
            return null;
        }
        List<AiServiceTool> guarded = new ArrayList<>();
        for (AiServiceTool tool : provided.aiServiceTools()) {
            ToolPolicy policy = Objects.requireNonNull(policies.apply(tool.name()), "no policy for tool " + tool.name());
            if (!policy.tool().equals(tool.name())) {
                throw new IllegalStateException("policy for '" + policy.tool() + "' given for tool '" + tool.name() + "'");
            }
            dev.moat.langchain4j.internal.ResourceTemplate.validate(policy.tool(), policy.resource());
            guarded.add(tool.toBuilder()
                    .toolExecutor(new GuardedToolExecutor(guard, agent, policy, tool.toolExecutor(), approver, users))
                    .build());
        }
        return new ToolProviderResult(guarded);
    }

    @Override
    public boolean isDynamic() {
        return delegate.isDynamic();
    }
}
