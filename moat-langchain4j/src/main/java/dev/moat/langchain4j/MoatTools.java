package dev.moat.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.service.tool.AiServiceTool;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolService;
import dev.moat.Capabilities;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.UserScope;
import dev.moat.guard.Guard;
import dev.moat.guard.SandboxProvider;
import dev.moat.langchain4j.internal.AnnotatedTools;
import dev.moat.langchain4j.internal.ResourceTemplate;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Guards the tools of one AI service as one agent. The one-liner:
 * <pre>{@code
 * AiServices.builder(Assistant.class).chatModel(model)
 *     .tools(MoatTools.guarded(moat.guard(), "assistant", new MailTools(), new BankTools()))
 *     .build();
 * }</pre>
 * With options (approval, a workspace for relative {@code @PathUnder}, the policy file's
 * {@code tools:} section, policies for provider tools), use {@link #builder}. Every tool is
 * guarded; there is no way to add an unguarded one here.
 *
 * <p>Where a tool's policy comes from: an annotated {@code @Tool} method uses its annotations
 * ({@code dev.moat.tool}); a {@code @Tool} method without Moat annotations uses the
 * {@code tools:} entry that names or matches it, if any ({@link Builder#rules}); configuring one tool
 * in both places is refused. A provider tool is named by its source
 * ({@code <source>/<tool>}, e.g. {@code mcp/files/read_file}) and uses {@link Builder#policy} for
 * that name, else the {@code tools:} entry, else the safe default: resource
 * {@code tool://<source>/<tool>}, action {@code execute}, no argument rules, so it runs only where a
 * grant names it.
 */
public final class MoatTools {
    private final Guard guard;
    private final String agent;
    private final Approver approver;
    private final Path workspace;
    private final Map<String, ToolPolicy> policies;
    private final UserResolver users;
    private final ToolRules rules;

    private MoatTools(Builder b) {
        this.rules = b.rules;
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
                out.add(t.toBuilder().toolExecutor(guard(t.name(), localPolicy(t, plain), plain)).build());
            }
        }
        return out;
    }

    /**
     * Guards every tool {@code delegate} provides, naming each by its {@code source}
     * ({@code mcp/<server>} for an MCP server, or any {@code /}-separated name): the tool
     * {@code read_file} is configured as {@code <source>/read_file} and guarded as resource
     * {@code tool://<source>/read_file} unless its policy says otherwise.
     */
    public ToolProvider provider(String source, ToolProvider delegate) {
        String prefix = source(source);
        return new GuardedToolProvider(delegate, guard, agent, tool -> policyFor(prefix + tool), approver, users);
    }

    /**
     * Guards one dynamic tool, named {@code spec.name()}; its policy comes from {@link Builder#policy},
     * else the {@code tools:} entry, else the default. A policy with rules on arguments the
     * specification does not have is refused here.
     */
    public ToolExecutor executor(ToolSpecification spec, ToolExecutor delegate) {
        ToolPolicy policy = policyFor(spec.name());
        List<String> unknown = policy.unknownArguments(dev.moat.langchain4j.internal.SchemaMaps.of(spec.parameters()));
        if (!unknown.isEmpty()) {
            throw new MoatException("tool '" + spec.name() + "': the policy has rules on " + unknown
                    + ", which the tool does not have");
        }
        return guard(spec.name(), policy, delegate);
    }

    /** The policy of an annotated tool: its annotations, or its tools: entry, never both. */
    private ToolPolicy localPolicy(AiServiceTool t, DefaultToolExecutor plain) {
        var configured = rules.find(t.name());
        if (configured.isPresent()) {
            if (AnnotatedTools.annotated(plain.originalMethod())) {
                throw new MoatException("tool '" + t.name() + "' has Moat annotations and a tools: entry in the policy"
                        + " file; configure it in one place");
            }
            List<String> unknown = configured.get().unknownArguments(
                    dev.moat.langchain4j.internal.SchemaMaps.of(t.toolSpecification().parameters()));
            if (!unknown.isEmpty()) {
                throw new MoatException("tool '" + t.name() + "': the policy file's tools: entry has rules on " + unknown
                        + ", which the tool does not have");
            }
            return configured.get();
        }
        return AnnotatedTools.policy(t.toolSpecification(), plain.originalMethod(), workspace);
    }

    private static String source(String source) {
        Objects.requireNonNull(source, "source");
        if (source.isEmpty() || source.startsWith("/") || source.endsWith("/") || source.contains("//") || source.contains("*")) {
            throw new IllegalArgumentException("source must be one or more /-separated names, e.g. mcp/files");
        }
        return source + "/";
    }

    public String agent() {
        return agent;
    }

    private ToolPolicy policyFor(String tool) {
        ToolPolicy p = policies.get(tool);
        return p != null ? p : rules.policyFor(tool, null);
    }

    private ToolExecutor guard(String toolName, ToolPolicy policy, ToolExecutor delegate) {
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
        return new GuardedToolExecutor(guard, agent, toolName, policy, delegate, approver, users, null);
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
        private ToolRules rules = ToolRules.empty();

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

        /**
         * The policy file's {@code tools:} section ({@code moat.toolRules()}): resource, action,
         * argument rules, approval, sandbox and secrets per tool name or glob, for provider tools
         * and for {@code @Tool} methods without Moat annotations.
         */
        public Builder rules(ToolRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * The policy for a provider or dynamic tool of that name ({@code <source>/<tool>} for a
         * provider's tools); it wins over the {@code tools:} section. Annotated tools use their annotations.
         */
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
