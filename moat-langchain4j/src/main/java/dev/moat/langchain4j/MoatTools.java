package dev.moat.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolService;
import dev.moat.MoatException;
import dev.moat.guard.Guard;
import dev.moat.guard.SandboxProvider;
import dev.moat.langchain4j.internal.AnnotatedTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.moat.Capabilities;
import dev.moat.Moat;
import dev.moat.langchain4j.internal.ResourceTemplate;
import dev.moat.UserScope;
import java.util.Objects;
import java.util.Set;

/**
 * Guards the tools of one AI service as one agent. The one-liner:
 * <pre>{@code
 * AiServices.builder(Assistant.class).chatModel(model)
 *     .tools(MoatTools.guarded(moat.guard(), "assistant", new MailTools(), new BankTools()))
 *     .build();
 * }</pre>
 * With options (approval, a workspace for relative {@code @PathUnder}, policies for provider tools),
 * use {@link #builder}. Every tool is guarded; there is no way to add an unguarded one here.
 */
public final class MoatTools {
    private final Guard guard;
    private final String agent;
    private final Approver approver;
    private final Path workspace;
    private final Map<String, ToolPolicy> policies;
    private final UserResolver users;

    private MoatTools(Builder b) {
        this.users = b.users;
        this.guard = b.guard;
        this.agent = b.agent;
        this.approver = b.approver;
        this.workspace = b.workspace;
        this.policies = Map.copyOf(b.policies);
    }

    /** Guards the {@code @Tool} methods of {@code toolObjects} as {@code agent}, with default options. */
    public static Map<ToolSpecification, ToolExecutor> guarded(Guard guard, String agent, Object... toolObjects) {
        return builder(guard, agent).build().tools(toolObjects);
    }

    public static Builder builder(Guard guard, String agent) {
        return new Builder(guard, agent);
    }

    /** The guarded specification-to-executor map for {@code AiServices.builder(...).tools(map)}. */
    public Map<ToolSpecification, ToolExecutor> tools(Object... toolObjects) {
        Map<ToolSpecification, ToolExecutor> map = new LinkedHashMap<>();
        for (AiServiceTool t : aiServiceTools(toolObjects)) {
            map.put(t.toolSpecification(), t.toolExecutor());
        }
        return map;
    }

    /** As {@link #tools}, keeping each tool's return behaviour, for {@code AiServices...tools(list)}. */
    public List<AiServiceTool> aiServiceTools(Object... toolObjects) {
        List<AiServiceTool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object object : toolObjects) {
            for (AiServiceTool t : ToolService.findTools(object)) {
                if (!names.add(t.name())) {
                    throw new MoatException("two tools are named '" + t.name() + "'");
                }
                DefaultToolExecutor plain = (DefaultToolExecutor) t.toolExecutor();
                ToolPolicy policy = AnnotatedTools.policy(t.toolSpecification(), plain.originalMethod(), workspace);
                out.add(t.toBuilder().toolExecutor(guard(policy, plain)).build());
            }
        }
        return out;
    }

    /** Guards every tool {@code delegate} provides; policies come from {@link Builder#policy}, else defaults. */
    public ToolProvider provider(ToolProvider delegate) {
        return new GuardedToolProvider(delegate, guard, agent, this::policyFor, approver, users);
    }

    /** Guards one dynamic tool; its policy comes from {@link Builder#policy}, else defaults. */
    public ToolExecutor executor(ToolSpecification spec, ToolExecutor delegate) {
        return guard(policyFor(spec.name()), delegate);
    }

    public String agent() {
        return agent;
    }

    private ToolPolicy policyFor(String tool) {
        ToolPolicy p = policies.get(tool);
        return p != null ? p : ToolPolicy.defaults(tool);
    }

    private ToolExecutor guard(ToolPolicy policy, ToolExecutor delegate) {
        try {
            ResourceTemplate.validate(policy.tool(), policy.resource());
        } catch (IllegalArgumentException e) {
            throw new MoatException(e.getMessage());
        }
        if (policy.approvalRequired() && approver == null) {
            throw new MoatException("tool '" + policy.tool() + "' requires approval but no Approver is configured");
        }
        if (!policy.secrets().isEmpty() && policy.sandbox().isPresent()) {
            throw new MoatException("tool '" + policy.tool() + "' is sandboxed and declares secrets: a sandboxed tool gets"
                    + " secrets through its egress (ToolCall.Builder.egressSecret), not through ToolSecrets");
        }
        if (policy.sandbox().isPresent()) {
            requireSandbox(guard, policy);
        }
        if (!policy.secrets().isEmpty()) {
            var proxy = guard.secrets().orElseThrow(() -> new MoatException("tool '" + policy.tool()
                    + "' declares secrets but the guard has no secret proxy (declare secrets in the policy file)"));
            for (String name : policy.secrets()) {
                if (!proxy.declaredSecrets().contains(dev.moat.secrets.SecretName.of(name))) {
                    throw new MoatException("tool '" + policy.tool() + "' declares a secret the proxy does not know");
                }
            }
        }
        return new GuardedToolExecutor(guard, agent, policy, delegate, approver, users);
    }

    /** A sandboxed tool needs a sandbox: refused when the tools are built, never run unsandboxed. */
    private static void requireSandbox(Guard guard, ToolPolicy policy) {
        if (!guard.sandboxAvailable()) {
            throw new MoatException("tool '" + policy.tool() + "' runs a WebAssembly module, but the WebAssembly sandbox is not"
                    + " on the class path: add the module " + SandboxProvider.MODULE);
        }
    }

    /** Options for {@link MoatTools}. */
    public static final class Builder {
        private final Guard guard;
        private final String agent;
        private Approver approver;
        private Path workspace;
        private final Map<String, ToolPolicy> policies = new HashMap<>();
        private UserResolver users = UserResolver.NONE;
        private Capabilities capabilities;
        private UserScope scope;

        private Builder(Guard guard, String agent) {
            this.guard = Objects.requireNonNull(guard, "guard");
            this.agent = Objects.requireNonNull(agent, "agent");
        }

        /** Who approves calls to tools that require approval. */
        public Builder approver(Approver approver) {
            this.approver = Objects.requireNonNull(approver, "approver");
            return this;
        }

        /** The directory that relative {@code @PathUnder} values are resolved against. */
        public Builder workspace(Path directory) {
            this.workspace = directory.toAbsolutePath().normalize();
            return this;
        }

        /** The policy for a provider or dynamic tool of that name (annotated tools use their annotations). */
        public Builder policy(ToolPolicy policy) {
            policies.put(policy.tool(), policy);
            return this;
        }

        /**
         * Who each call acts for (default: nobody). With {@link #perUser} and no resolver given,
         * the chat memory id ({@link UserResolver#memoryId()}).
         */
        public Builder users(UserResolver resolver) {
            this.users = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Scopes every call to its user: the agent's calls are signed with a capability it
         * delegates to itself per user, {@code scope}'s templates ({@code tool://inbox/{user}/**})
         * filled with the user found by {@link #users} (the memory id unless given). A call with
         * no user, or a user value that is not one plain segment, is denied; one user's call can
         * never reach another user's resources, even through the same AI service.
         */
        public Builder perUser(Moat moat, UserScope scope) {
            if (Objects.requireNonNull(moat, "moat").guard() != guard) {
                throw new IllegalArgumentException("perUser: the Moat is not the one whose guard these tools use");
            }
            this.capabilities = moat.capabilities();
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        public MoatTools build() {
            if (!guard.agents().contains(agent)) {
                throw new MoatException("the guard holds no identity and capability for agent '" + agent + "'");
            }
            if (scope != null) {
                capabilities.scopeUsers(agent, scope);
                if (users == UserResolver.NONE) {
                    users = UserResolver.memoryId();
                }
            }
            for (ToolPolicy p : policies.values()) {
                if (p.approvalRequired() && approver == null) {
                    throw new MoatException("tool '" + p.tool() + "' requires approval but no Approver is configured");
                }
                if (p.sandbox().isPresent()) {
                    requireSandbox(guard, p);
                }
            }
            return new MoatTools(this);
        }
    }
}
