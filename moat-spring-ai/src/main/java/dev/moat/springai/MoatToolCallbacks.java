package dev.moat.springai;

import dev.moat.Capabilities;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.UserScope;
import dev.moat.guard.CallCheck;
import dev.moat.guard.Guard;
import dev.moat.springai.internal.ApprovalCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.resolution.ToolCallbackResolver;

/**
 * Guards Spring AI tools as one agent. The one-liner:
 * <pre>{@code
 * ChatClient.create(model).prompt("...")
 *     .toolCallbacks(MoatToolCallbacks.builder(moat.guard(), "assistant").build().from(new MailTools()))
 *     .call().content();
 * }</pre>
 * or decorate the app's {@link ToolCallingManager} ({@link #manager}) so every tool, however it was
 * registered, is guarded (the Spring Boot starter does this). Each tool is guarded as
 * {@code tool://<name>} with action {@code execute} unless {@link Builder#resource} says otherwise,
 * with the {@link CallCheck} given for it (argument rules, approval) after the PEP's allow.
 */
public final class MoatToolCallbacks {
    private final Guard guard;
    private final String agent;
    private final Map<String, String[]> resources;
    private final Map<String, CallCheck> checks;
    private final UserResolver users;
    private final GuardObserver observer;
    private final java.util.Set<String> approval;
    private final Approver approver;

    private MoatToolCallbacks(Builder b) {
        this.approval = java.util.Set.copyOf(b.approval);
        this.approver = b.approver;
        this.guard = b.guard;
        this.agent = b.agent;
        this.resources = Map.copyOf(b.resources);
        this.checks = Map.copyOf(b.checks);
        this.users = b.users;
        this.observer = b.observer;
    }

    public static Builder builder(Guard guard, String agent) {
        return new Builder(guard, agent);
    }

    /** The agent whose capability signs the guarded calls. */
    public String agent() {
        return agent;
    }

    /**
     * {@code callback} guarded. A callback that is already a {@link GuardedToolCallback} is
     * returned as it is (a tool is never signed and audited twice).
     */
    public ToolCallback guard(ToolCallback callback) {
        Objects.requireNonNull(callback, "callback");
        if (callback instanceof GuardedToolCallback already) {
            return already;
        }
        String name = callback.getToolDefinition().name();
        String[] ra = resources.get(name);
        String resource = ra == null ? "tool://" + name : ra[0];
        String action = ra == null ? "execute" : ra[1];
        CallCheck check = checks.getOrDefault(name, CallCheck.NONE);
        if (approval.contains(name)) {
            check = ApprovalCheck.both(check, new ApprovalCheck(name, approver, guard.audit()));
        }
        return new GuardedToolCallback(callback, guard, agent, resource, action, check, users, observer);
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

    /** Guards every callback {@code delegate} provides, each time it is asked. */
    public ToolCallbackProvider provider(ToolCallbackProvider delegate) {
        return new GuardedToolCallbackProvider(delegate, this);
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

    /** Options for {@link MoatToolCallbacks}. */
    public static final class Builder {
        private final Guard guard;
        private final String agent;
        private final Map<String, String[]> resources = new HashMap<>();
        private final Map<String, CallCheck> checks = new HashMap<>();
        private UserResolver users = UserResolver.NONE;
        private GuardObserver observer = GuardObserver.NONE;
        private final java.util.Set<String> approval = new java.util.HashSet<>();
        private Approver approver;
        private Capabilities capabilities;
        private UserScope scope;

        private Builder(Guard guard, String agent) {
            this.guard = Objects.requireNonNull(guard, "guard");
            this.agent = Objects.requireNonNull(agent, "agent");
        }

        /** The resource and action the capability must grant for tool {@code tool} (default {@code tool://<tool>}, execute). */
        public Builder resource(String tool, String resource, String action) {
            resources.put(Objects.requireNonNull(tool, "tool"),
                    new String[] {Objects.requireNonNull(resource, "resource"), Objects.requireNonNull(action, "action")});
            return this;
        }

        /** A check on tool {@code tool}'s signed call after the PEP's allow (argument rules, approval). */
        public Builder check(String tool, CallCheck check) {
            checks.put(Objects.requireNonNull(tool, "tool"), Objects.requireNonNull(check, "check"));
            return this;
        }

        /**
         * Every call of tool {@code tool} waits for a human: the {@link #approver} sees the exact
         * signed arguments and their hash, and the call runs only if it approves that hash.
         */
        public Builder requireApproval(String tool) {
            approval.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Who approves calls to tools that {@link #requireApproval require approval}. */
        public Builder approver(Approver approver) {
            this.approver = Objects.requireNonNull(approver, "approver");
            return this;
        }

        /** Who each call acts for (default: nobody; with {@link #perUser}, {@link UserResolver#contextKey()}). */
        public Builder users(UserResolver resolver) {
            this.users = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Sees every guarded call's outcome and duration (metrics). */
        public Builder observer(GuardObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
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
            if (!approval.isEmpty() && approver == null) {
                throw new MoatException("tool(s) " + new java.util.TreeSet<>(approval) + " require approval but no Approver is configured");
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
