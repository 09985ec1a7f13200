package dev.moat.langchain4j;

import dev.moat.guard.SandboxModule;
import dev.moat.langchain4j.constraint.ArgumentConstraint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one tool is guarded: the resource and action its capability must grant, the rules on its
 * arguments, whether a human approves each call, and optionally a WebAssembly implementation that
 * runs in Moat's sandbox instead of the Java method. Immutable. Built from {@link MoatTool} and
 * the constraint annotations, or by hand for provider tools ({@link #forTool}).
 */
public final class ToolPolicy {
    private final String tool;
    private final String resource;
    private final String action;
    private final Map<String, List<ArgumentConstraint>> constraints;
    private final boolean approval;
    private final SandboxModule sandbox;
    private final List<String> secrets;

    private ToolPolicy(Builder b) {
        this.tool = b.tool;
        this.resource = b.resource == null ? "tool://" + b.tool : b.resource;
        this.action = b.action;
        Map<String, List<ArgumentConstraint>> c = new LinkedHashMap<>();
        b.constraints.forEach((k, v) -> c.put(k, List.copyOf(v)));
        this.constraints = Map.copyOf(c);
        this.approval = b.approval;
        this.sandbox = b.sandbox;
        this.secrets = List.copyOf(b.secrets);
    }

    /** The defaults for {@code tool}: {@code tool://<tool>}, {@code execute}, no rules, no approval. */
    public static ToolPolicy defaults(String tool) {
        return forTool(tool).build();
    }

    public static Builder forTool(String tool) {
        return new Builder(tool);
    }

    public String tool() {
        return tool;
    }

    public String resource() {
        return resource;
    }

    public String action() {
        return action;
    }

    /** Rules per argument name (the JSON name the model uses). */
    public Map<String, List<ArgumentConstraint>> constraints() {
        return constraints;
    }

    public boolean approvalRequired() {
        return approval;
    }

    /** Names of the secrets the tool uses through {@link ToolSecrets} (handles issued per call). */
    public List<String> secrets() {
        return secrets;
    }

    /** The WebAssembly implementation run in Moat's sandbox instead of the Java method, if any. */
    public Optional<SandboxModule> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    @Override
    public String toString() {
        return "ToolPolicy[" + tool + " -> " + resource + " " + action + (approval ? ", approval" : "")
                + (sandbox == null ? "" : ", sandboxed " + sandbox.sha256().substring(0, 12))
                + (secrets.isEmpty() ? "" : ", " + secrets.size() + " secret(s)")
                + (constraints.isEmpty() ? "" : ", rules on " + constraints.keySet()) + "]";
    }

    /** Builder for {@link ToolPolicy}. */
    public static final class Builder {
        private final String tool;
        private String resource;
        private String action = "execute";
        private final Map<String, List<ArgumentConstraint>> constraints = new LinkedHashMap<>();
        private boolean approval;
        private SandboxModule sandbox;
        private final List<String> secrets = new ArrayList<>();

        private Builder(String tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            if (tool.isBlank()) {
                throw new IllegalArgumentException("tool name must not be blank");
            }
        }

        public Builder resource(String resource) {
            this.resource = Objects.requireNonNull(resource, "resource");
            return this;
        }

        public Builder action(String action) {
            this.action = Objects.requireNonNull(action, "action");
            return this;
        }

        /** Adds rules on argument {@code name}. */
        public Builder constrain(String name, ArgumentConstraint... rules) {
            constraints.computeIfAbsent(name, k -> new ArrayList<>()).addAll(Arrays.asList(rules));
            return this;
        }

        public Builder requireApproval() {
            this.approval = true;
            return this;
        }

        /** Runs {@code module} in the sandbox, under the capability's limits, instead of the tool's own code. */
        public Builder sandbox(SandboxModule module) {
            this.sandbox = Objects.requireNonNull(module, "module");
            return this;
        }

        /** The tool needs these secrets: a handle to each is issued to the agent for every call. */
        public Builder secrets(String... names) {
            secrets.addAll(Arrays.asList(names));
            return this;
        }

        public ToolPolicy build() {
            return new ToolPolicy(this);
        }
    }
}
