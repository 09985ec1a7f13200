package dev.moat.agent.impl;

import dev.moat.policy.AgentSection;
import dev.moat.policy.MoatPolicy;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy's {@code agent:} section turned into what the dispatcher and the transformer use:
 * identity per AI-service interface or tool class, method patterns, mode; and the policy file's
 * top-level {@code tools:} section (core's {@link ToolRules}, the same rules every adapter applies).
 */
final class AgentSettings {
    /** A configured home-grown tool method. */
    record MethodTarget(ClassPattern type, ClassPattern method, String tool, String resource, String action) {}

    private record ServiceIdentity(ClassPattern pattern, String identity) {}

    private final String identity;
    private final boolean enforcing;
    private final List<ServiceIdentity> services;
    private final ToolRules tools;
    private final List<MethodTarget> methods;
    private final Map<String, String> identityCache = new ConcurrentHashMap<>();

    private AgentSettings(String identity, boolean enforcing, List<ServiceIdentity> services, ToolRules tools,
                          List<MethodTarget> methods) {
        this.identity = identity;
        this.enforcing = enforcing;
        this.services = services;
        this.tools = tools;
        this.methods = methods;
    }

    static AgentSettings from(MoatPolicy policy) {
        AgentSection section = policy.document().agent();
        if (section == null) {
            throw new IllegalArgumentException(policy.file() + ": no agent: section (which Moat agent do the app's tool calls run as?)");
        }
        List<ServiceIdentity> services = new ArrayList<>();
        for (AgentSection.Service s : section.servicesOrEmpty()) {
            services.add(new ServiceIdentity(ClassPattern.of(s.match()), s.identity()));
        }
        List<MethodTarget> methods = new ArrayList<>();
        for (AgentSection.Method m : section.methodsOrEmpty()) {
            methods.add(new MethodTarget(ClassPattern.of(m.className()), ClassPattern.of(m.method()), m.tool(), m.resource(), m.action()));
        }
        return new AgentSettings(section.identity(), section.enforcing(), List.copyOf(services), ToolRules.fromPolicy(policy),
                List.copyOf(methods));
    }

    /** For tests: one identity, enforcing, the given tool rules and method targets. */
    static AgentSettings of(String identity, boolean enforcing, ToolRules tools, List<MethodTarget> methods) {
        return new AgentSettings(identity, enforcing, List.of(), tools, List.copyOf(methods));
    }

    boolean enforcing() {
        return enforcing;
    }

    String defaultIdentity() {
        return identity;
    }

    /** The Moat agent for calls from this AI-service interface or tool class (first matching service, else the default). */
    String identityFor(String className) {
        if (services.isEmpty() || className == null) {
            return identity;
        }
        return identityCache.computeIfAbsent(className, n -> {
            for (ServiceIdentity s : services) {
                if (s.pattern().matches(n)) {
                    return s.identity();
                }
            }
            return identity;
        });
    }

    /** The tools: entry naming or matching {@code name}, else the default ({@code tool://<name>}, {@code execute}). */
    ToolPolicy tool(String name) {
        return tools.policyFor(name, null);
    }

    List<MethodTarget> methods() {
        return methods;
    }
}
