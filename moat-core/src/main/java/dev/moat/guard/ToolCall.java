package dev.moat.guard;

import dev.moat.secrets.SecretName;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One guarded tool call, the single value every adapter (LangChain4j, the Java agent, the CrewAI
 * sidecar, the MCP proxy, Spring AI, the CLI) builds from its framework's call and hands to the
 * {@link Guard}. The argument bytes are the canonical JSON that is signed, checked, shown to an
 * approver and given to the tool: the same bytes everywhere.
 *
 * <p>Build with {@link #builder(String, String, String)}: agent, resource and action are required;
 * arguments default to the empty object {@code {}}. A call whose implementation is a WebAssembly
 * module ({@link Builder#sandbox}) is run with {@link Guard#call(ToolCall)}; any other with
 * {@link Guard#call(ToolCall, ToolBody)} or {@link Guard#call(ToolCall, AllowedBody)}.
 */
public final class ToolCall {
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);

    private final String agent;
    private final String resource;
    private final String action;
    private final byte[] arguments;
    private final CallContext context;
    private final CallCheck check;
    private final Map<String, SecretName> egressSecrets;
    private final SandboxModule sandbox;

    private ToolCall(Builder b) {
        this.agent = b.agent;
        this.resource = b.resource;
        this.action = b.action;
        this.arguments = b.arguments;
        this.context = b.context;
        this.check = b.check;
        this.egressSecrets = Map.copyOf(b.egressSecrets);
        this.sandbox = b.sandbox;
        if (sandbox == null && !egressSecrets.isEmpty()) {
            throw new IllegalArgumentException("egress secrets are for a sandboxed call: give the module with sandbox(...)");
        }
    }

    public static Builder builder(String agent, String resource, String action) {
        return new Builder(agent, resource, action);
    }

    /** The name of the Moat agent the call is signed as. */
    public String agent() {
        return agent;
    }

    /** The resource, for example {@code tool://read_file}. */
    public String resource() {
        return resource;
    }

    /** The action on the resource, for example {@code execute}. */
    public String action() {
        return action;
    }

    /** A copy of the canonical argument bytes. */
    public byte[] arguments() {
        return arguments.clone();
    }

    /** Package-private view without a copy, for the guard's own signing. */
    byte[] argumentsView() {
        return arguments;
    }

    public CallContext context() {
        return context;
    }

    /** The check run after the PEP's allow and before the body (argument rules, approval). */
    public CallCheck check() {
        return check;
    }

    /** HTTP header name to secret name, for a sandboxed tool whose egress carries secrets. */
    public Map<String, SecretName> egressSecrets() {
        return egressSecrets;
    }

    /** The WebAssembly module that implements the call, run in the sandbox; empty for a Java body. */
    public Optional<SandboxModule> sandbox() {
        return Optional.ofNullable(sandbox);
    }

    /** Describes the call without its arguments (they may hold personal data). */
    @Override
    public String toString() {
        return "ToolCall[agent=" + agent + ", resource=" + resource + ", action=" + action
                + ", arguments=" + arguments.length + " bytes"
                + (sandbox == null ? "" : ", sandbox=" + sandbox.sha256().substring(0, 12)) + "]";
    }

    /** Builder for {@link ToolCall}. */
    public static final class Builder {
        private final String agent;
        private final String resource;
        private final String action;
        private byte[] arguments = EMPTY_OBJECT;
        private CallContext context = CallContext.NONE;
        private CallCheck check = CallCheck.NONE;
        private final Map<String, SecretName> egressSecrets = new LinkedHashMap<>();
        private SandboxModule sandbox;

        private Builder(String agent, String resource, String action) {
            this.agent = Objects.requireNonNull(agent, "agent");
            this.resource = Objects.requireNonNull(resource, "resource");
            this.action = Objects.requireNonNull(action, "action");
        }

        /** The canonical JSON argument bytes (copied). */
        public Builder arguments(byte[] canonicalJson) {
            this.arguments = Arrays.copyOf(Objects.requireNonNull(canonicalJson, "arguments"), canonicalJson.length);
            return this;
        }

        /** The canonical JSON arguments as text (UTF-8). */
        public Builder arguments(String canonicalJson) {
            return arguments(Objects.requireNonNull(canonicalJson, "arguments").getBytes(StandardCharsets.UTF_8));
        }

        public Builder context(CallContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        public Builder check(CallCheck check) {
            this.check = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * The call is implemented by {@code module}, run in the sandbox under the verified
         * capability's limits with the signed arguments on stdin ({@link Guard#call(ToolCall)};
         * needs the module {@code moat-sandbox}).
         */
        public Builder sandbox(SandboxModule module) {
            this.sandbox = Objects.requireNonNull(module, "module");
            return this;
        }

        /** A secret injected into the sandboxed tool's HTTP egress under {@code header} (needs {@link #sandbox}). */
        public Builder egressSecret(String header, SecretName secret) {
            egressSecrets.put(Objects.requireNonNull(header, "header"), Objects.requireNonNull(secret, "secret"));
            return this;
        }

        public ToolCall build() {
            return new ToolCall(this);
        }
    }
}
