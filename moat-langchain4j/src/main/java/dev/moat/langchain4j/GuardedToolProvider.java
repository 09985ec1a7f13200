package dev.moat.langchain4j;

import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderRequest;
import dev.langchain4j.service.tool.ToolProviderResult;
import dev.moat.guard.Guard;
import dev.moat.langchain4j.internal.ResourceTemplate;
import dev.moat.langchain4j.internal.SchemaMaps;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Wraps a {@link ToolProvider} (an MCP tool provider, dynamic tools) so that every tool it provides
 * runs through a {@link GuardedToolExecutor}, with the policy {@code policies} gives for its name
 * ({@link MoatTools#provider(String, ToolProvider)} names tools by their source:
 * {@code mcp/files/read_file}, resource {@code tool://mcp/files/read_file}). Specifications and
 * return behaviour are passed through unchanged. A policy whose rules name an argument the tool's
 * specification does not have (a typo such as {@code recipent}) does not fit the tool: every call
 * to it is denied, saying so, and nothing is silently left unchecked.
 */
public final class GuardedToolProvider implements ToolProvider {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GuardedToolProvider.class);

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

    /**
     * With the end user of each call found by {@code users} (see {@link UserResolver}).
     * {@code policies} maps the tool's name, as the model knows it, to its policy.
     */
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
            ResourceTemplate.validate(policy.tool(), policy.resource());
            List<String> unknown = policy.unknownArguments(SchemaMaps.of(tool.toolSpecification().parameters()));
            String refusal = null;
            if (!unknown.isEmpty()) {
                refusal = "the policy for tool '" + policy.tool() + "' has rules on " + unknown
                        + ", which the tool does not have (a typo?); every call is refused until the policy is fixed";
                LOG.error("moat: {}", refusal);
            } else if (policy.approvalRequired() && approver == null) {
                refusal = "tool '" + policy.tool() + "' requires approval but no Approver is configured";
            }
            guarded.add(tool.toBuilder()
                    .toolExecutor(new GuardedToolExecutor(guard, agent, tool.name(), policy, tool.toolExecutor(), approver,
                            users, refusal))
                    .build());
        }
        return new ToolProviderResult(guarded);
    }

    @Override
    public boolean isDynamic() {
        return delegate.isDynamic();
    }
}
