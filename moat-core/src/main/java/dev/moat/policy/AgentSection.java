package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.moat.token.Resources;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The policy file's {@code agent:} section, read by the Java agent ({@code -javaagent:moat-agent.jar}):
 * which Moat agent the application's tool calls are signed as, whether denials are enforced or only
 * audited, and home-grown tool methods to guard. Per-tool resource, action and argument rules are in
 * the top-level {@code tools:} section ({@link ToolSection}), shared with every other adapter. Example:
 * <pre>
 * agent:
 *   identity: assistant                 # default Moat agent (its key must be given in agents:)
 *   mode: enforce                       # or audit-only: decide and audit, but let the call run
 *   services:                           # AI-service interface or tool class name pattern -> agent
 *     - {match: "com.example.billing.*", identity: billing}
 *   methods:
 *     - {class: com.example.Payments, method: transfer, resource: "tool://payments/transfer", action: execute}
 * </pre>
 * Class patterns are fully qualified names where {@code *} matches within a package segment and
 * {@code **} matches anything.
 */
public record AgentSection(
        @JsonProperty(value = "identity", required = true) String identity,
        @JsonProperty("mode") String mode,
        @JsonProperty("services") List<Service> services,
        @JsonProperty("methods") List<Method> methods) {

    /** Mode value: a denial stops the call. */
    public static final String ENFORCE = "enforce";
    /** Mode value: the decision is computed and audited, the call runs regardless. */
    public static final String AUDIT_ONLY = "audit-only";

    private static final Pattern JAVA_NAME = Pattern.compile("[A-Za-z_$*][A-Za-z0-9_$.*]{0,511}");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    /** A Moat agent for the AI-service interfaces or tool classes whose name matches {@code match}. */
    public record Service(@JsonProperty(value = "match", required = true) String match,
                          @JsonProperty(value = "identity", required = true) String identity) {}

    /**
     * A home-grown tool method to guard: every method named {@code method} declared by a class
     * matching {@code class}. The tool name defaults to the method name, the resource to
     * {@code tool://<tool>}, the action to {@code execute}.
     */
    public record Method(@JsonProperty(value = "class", required = true) String className,
                         @JsonProperty(value = "method", required = true) String method,
                         @JsonProperty("tool") String tool,
                         @JsonProperty("resource") String resource,
                         @JsonProperty("action") String action) {}

    /** True unless {@code mode} is {@code audit-only}. */
    public boolean enforcing() {
        return mode == null || ENFORCE.equals(mode);
    }

    public List<Service> servicesOrEmpty() {
        return services == null ? List.of() : services;
    }

    public List<Method> methodsOrEmpty() {
        return methods == null ? List.of() : methods;
    }

    /**
     * Checks values and references: identities must be agents whose private key is given
     * ({@code signers}). Throws {@link IllegalArgumentException} naming the field.
     */
    void validate(Set<String> signers) {
        identity(identity, "identity", signers);
        if (mode != null && !ENFORCE.equals(mode) && !AUDIT_ONLY.equals(mode)) {
            throw new IllegalArgumentException("mode: must be '" + ENFORCE + "' or '" + AUDIT_ONLY + "', not '" + mode + "'");
        }
        List<Service> s = servicesOrEmpty();
        for (int i = 0; i < s.size(); i++) {
            classPattern(s.get(i).match(), "services[" + i + "].match");
            identity(s.get(i).identity(), "services[" + i + "].identity", signers);
        }
        List<Method> m = methodsOrEmpty();
        for (int i = 0; i < m.size(); i++) {
            Method method = m.get(i);
            String at = "methods[" + i + "]";
            classPattern(method.className(), at + ".class");
            if (method.method() == null || !JAVA_NAME.matcher(method.method()).matches() || method.method().contains(".")) {
                throw new IllegalArgumentException(at + ".method: not a method name or pattern");
            }
            if (method.tool() != null) {
                toolName(method.tool(), at + ".tool");
            }
            resource(method.resource(), at + ".resource");
            action(method.action(), at + ".action");
        }
    }

    private static void identity(String name, String at, Set<String> signers) {
        if (name == null || !signers.contains(name)) {
            throw new IllegalArgumentException(at + ": '" + name + "' is not an agent whose key is given");
        }
    }

    private static void classPattern(String pattern, String at) {
        if (pattern == null || !JAVA_NAME.matcher(pattern).matches() || pattern.contains("..")) {
            throw new IllegalArgumentException(at + ": not a class name or pattern");
        }
    }

    private static void toolName(String name, String at) {
        if (name == null || !TOOL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(at + ": not a tool name (letters, digits, _ . : -)");
        }
    }

    private static void resource(String resource, String at) {
        if (resource != null && Resources.check(resource) != null) {
            throw new IllegalArgumentException(at + ": invalid resource (" + Resources.check(resource) + ")");
        }
    }

    private static void action(String action, String at) {
        if (action != null && !TOOL_NAME.matcher(action).matches()) {
            throw new IllegalArgumentException(at + ": invalid action");
        }
    }
}
