package dev.moat.springai;

import dev.moat.Capabilities;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.UserScope;
import dev.moat.guard.Guard;
import dev.moat.springai.internal.MethodTools;
import dev.moat.tool.Approver;
import dev.moat.tool.ToolAnnotations;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallback;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * Guards Spring AI tools as one agent. The one-liner:
 * <pre>{@code
 * ChatClient.create(model).prompt("...")
 *     .toolCallbacks(MoatToolCallbacks.builder(moat.guard(), "assistant").build().from(new MailTools()))
 *     .call().content();
 * }</pre>
 * or decorate the app's {@link ToolCallingManager} ({@link #manager}) so every tool, however it was
 * registered, is guarded (the Spring Boot starter does this). Each tool's {@link ToolPolicy}
 * (resource, action, argument rules, approval, budgets) comes from Moat's annotations on its
 * {@code @Tool} method ({@link #from}), else from {@link Builder#policy}, else from the policy
 * file's {@code tools:} section ({@link Builder#rules}), else the safe default: resource
 * {@code tool://<name>}, action {@code execute}, no rules.
 */
public final class MoatToolCallbacks {
    private final Guard guard;
    private final String agent;
    private final ToolRules rules;
    private final Map<String, ToolPolicy> policies;
    private final Path workspace;
    private final Approver approver;
    private final UserResolver users;
    private final Map<Method, ToolPolicy> annotated = new java.util.concurrent.ConcurrentHashMap<>();

    private MoatToolCallbacks(Builder b) {
        this.guard = b.guard;
        this.agent = b.agent;
        this.rules = b.rules;
        this.policies = Map.copyOf(b.policies);
        this.workspace = b.workspace;
        this.approver = b.approver;
        this.users = b.users;
    }

    public static Builder builder(Guard guard, String agent) {
        return new Builder(guard, agent);
    }

    /** The agent whose capability signs the guarded calls. */
    public String agent() {
        return agent;
    }

    /**
     * {@code callback} guarded. A Spring AI method tool whose method carries Moat's annotations
     * ({@code @MoatTool}, {@code @OneOf}, {@code @PathUnder}, ...) gets those as its policy (a tool
     * both annotated and configured in the {@code tools:} section is refused: configure it in one
     * place); any other tool the policy for its name ({@link Builder#policy}, else the
     * {@code tools:} section, else the default). A callback that is already a
     * {@link GuardedToolCallback} is returned as it is (a tool is never signed and audited twice).
     */
    public ToolCallback guard(ToolCallback callback) {
        Objects.requireNonNull(callback, "callback");
        if (callback instanceof GuardedToolCallback already) {
            return already;
        }
        String name = callback.getToolDefinition().name();
        if (callback instanceof MethodToolCallback method) {
            Method m = MethodTools.method(method);
            if (ToolAnnotations.annotated(m)) {
                if (policies.containsKey(name) || rules.find(name).isPresent()) {
                    throw new MoatException("tool '" + name + "' has Moat annotations and is configured in the policy too;"
                            + " configure it in one place");
                }
                // one policy per method, so its budgets count across requests
                return guard(callback, annotated.computeIfAbsent(m,
                        k -> ToolAnnotations.policy(name, k, Parameter::getName, workspace, modelArguments(k))));
            }
        }
        return guard(callback, policyFor(name, null));
    }

    /** Every callback guarded, in order. */
    public ToolCallback[] guard(ToolCallback... callbacks) {
        ToolCallback[] out = new ToolCallback[callbacks.length];
        for (int i = 0; i < callbacks.length; i++) {
            out[i] = guard(callbacks[i]);
        }
        return out;
    }

    /** Every callback guarded, in order. */
    public List<ToolCallback> guard(List<? extends ToolCallback> callbacks) {
        List<ToolCallback> out = new ArrayList<>(callbacks.size());
        callbacks.forEach(c -> out.add(guard(c)));
        return out;
    }

    /** The {@code @Tool} methods of {@code toolObjects} (Spring AI's {@link ToolCallbacks#from}), guarded. */
    public ToolCallback[] from(Object... toolObjects) {
        return guard(ToolCallbacks.from(toolObjects));
    }

    /** Guards every callback {@code delegate} provides, each time it is asked, by tool name. */
    public ToolCallbackProvider provider(ToolCallbackProvider delegate) {
        return new GuardedToolCallbackProvider(delegate, this, null);
    }

    /**
     * As {@link #provider(ToolCallbackProvider)}, naming each tool by its {@code source}
     * ({@code mcp/<server>}): the tool {@code read_file} is configured as
     * {@code <source>/read_file} in the {@code tools:} section and guarded as resource
     * {@code tool://<source>/read_file} unless its policy says otherwise.
     */
    public ToolCallbackProvider provider(String source, ToolCallbackProvider delegate) {
        Objects.requireNonNull(source, "source");
        if (source.isEmpty() || source.startsWith("/") || source.endsWith("/") || source.contains("//") || source.contains("*")) {
            throw new IllegalArgumentException("source must be one or more /-separated names, e.g. mcp/files");
        }
        return new GuardedToolCallbackProvider(delegate, this, source + "/");
    }

    /** Decorates {@code delegate}: every tool call it executes is guarded (tools it cannot find are refused). */
    public ToolCallingManager manager(ToolCallingManager delegate) {
        return manager(delegate, null);
    }

    /**
     * As {@link #manager(ToolCallingManager)}; tool names the prompt does not carry are looked up in
     * {@code resolver} (the one the delegate was built with) and guarded.
     */
    public ToolCallingManager manager(ToolCallingManager delegate, ToolCallbackResolver resolver) {
        if (delegate instanceof MoatToolCallingManager already) {
            return already;
        }
        return new MoatToolCallingManager(delegate, resolver, this);
    }

    /** A provider's callback, configured under {@code prefix + name}. */
    ToolCallback guardProvided(ToolCallback callback, String prefix) {
        if (callback instanceof GuardedToolCallback already) {
            return already;
        }
        if (prefix == null) {
            return guard(callback);
        }
        String name = prefix + callback.getToolDefinition().name();
        return guard(callback, policyFor(name, "tool://" + name));
    }

    private ToolPolicy policyFor(String name, String defaultResource) {
        ToolPolicy p = policies.get(name);
        return p != null ? p : rules.policyFor(name, defaultResource);
    }

    private ToolCallback guard(ToolCallback callback, ToolPolicy policy) {
        String name = callback.getToolDefinition().name();
        if (policy.resource().contains("{")) {
            throw new MoatException("tool '" + name + "': resource templates (" + policy.resource() + ") are not supported"
                    + " by moat-spring-ai; name the resource, and scope users with perUser");
        }
        if (policy.sandbox().isPresent() || !policy.secrets().isEmpty()) {
            throw new MoatException("tool '" + name + "': sandboxed implementations and secrets are not supported by"
                    + " moat-spring-ai yet; the tool would run without them");
        }
        if (policy.approvalRequired() && approver == null) {
            throw new MoatException("tool '" + name + "' requires approval but no Approver is configured");
        }
        return new GuardedToolCallback(callback, guard, agent, policy, approver, users);
    }

    /** The JSON argument names Spring AI offers the model for {@code method} (its parameters but a ToolContext). */
    private static Set<String> modelArguments(Method method) {
        Set<String> out = new LinkedHashSet<>();
        for (Parameter p : method.getParameters()) {
            if (!ToolContext.class.isAssignableFrom(p.getType())) {
                out.add(p.getName());
            }
        }
        return out;
    }

    /** Options for {@link MoatToolCallbacks}. */
    public static final class Builder {
        private final Guard guard;
        private final String agent;
        private ToolRules rules = ToolRules.empty();
        private final Map<String, ToolPolicy> policies = new HashMap<>();
        private Path workspace;
        private Approver approver;
        private UserResolver users = UserResolver.NONE;
        private Capabilities capabilities;
        private UserScope scope;

        private Builder(Guard guard, String agent) {
            this.guard = Objects.requireNonNull(guard, "guard");
            this.agent = Objects.requireNonNull(agent, "agent");
        }

        /** The policy file's {@code tools:} section ({@code ToolRules.fromPolicy(policy)}): rules by tool name or glob. */
        public Builder rules(ToolRules rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** The policy of the tool {@code policy.tool()} (provider and dynamic tools), over the {@code tools:} section. */
        public Builder policy(ToolPolicy policy) {
            policies.put(policy.tool(), policy);
            return this;
        }

        /** The directory that relative {@code @PathUnder} values are resolved against. */
        public Builder workspace(Path directory) {
            this.workspace = directory.toAbsolutePath().normalize();
            return this;
        }

        /** Who approves calls to tools that require approval ({@code @MoatTool(approval = true)}, {@code approval: true}). */
        public Builder approver(Approver approver) {
            this.approver = Objects.requireNonNull(approver, "approver");
            return this;
        }

        /** Who each call acts for (default: nobody; with {@link #perUser}, {@link UserResolver#contextKey()}). */
        public Builder users(UserResolver resolver) {
            this.users = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Scopes every call to its user: the agent's calls are signed with a capability it delegates
         * to itself per user, {@code scope}'s templates filled with the user {@link #users} finds
         * (the tool context's {@value UserResolver#DEFAULT_KEY} unless given). A call with no user,
         * or a user that is not one plain segment, is denied.
         */
        public Builder perUser(Moat moat, UserScope scope) {
            if (Objects.requireNonNull(moat, "moat").guard() != guard) {
                throw new IllegalArgumentException("perUser: the Moat is not the one whose guard these tools use");
            }
            this.capabilities = moat.capabilities();
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        public MoatToolCallbacks build() {
            if (!guard.agents().contains(agent)) {
                throw new MoatException("the guard holds no identity and capability for agent '" + agent + "'");
            }
            for (ToolPolicy p : policies.values()) {
                if (p.approvalRequired() && approver == null) {
                    throw new MoatException("tool '" + p.tool() + "' requires approval but no Approver is configured");
                }
            }
            if (scope != null) {
                capabilities.scopeUsers(agent, scope);
                if (users == UserResolver.NONE) {
                    users = UserResolver.contextKey();
                }
            }
            return new MoatToolCallbacks(this);
        }
    }
}
