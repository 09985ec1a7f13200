package dev.moat.agent.impl;

import dev.moat.langchain4j.constraint.ArgumentConstraint;
import dev.moat.policy.AgentSection;
import dev.moat.policy.MoatPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policy's {@code agent:} section turned into what the dispatcher and the transformer use:
 * identity per AI-service interface or tool class, tool rules, method patterns, mode.
 */
final class AgentSettings {
    /** A configured home-grown tool method. */
    record MethodTarget(ClassPattern type, ClassPattern method, String tool, String resource, String action) {}

    private record ServiceIdentity(ClassPattern pattern, String identity) {}

    private final String identity;
    private final boolean enforcing;
    private final List<ServiceIdentity> services;
    private final Map<String, ToolRule> tools;
    private final List<MethodTarget> methods;
    private final Map<String, String> identityCache = new ConcurrentHashMap<>();

    private AgentSettings(String identity, boolean enforcing, List<ServiceIdentity> services, Map<String, ToolRule> tools,
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
        Map<String, ToolRule> tools = new LinkedHashMap<>();
        for (AgentSection.Tool t : section.toolsOrEmpty()) {
            Map<String, List<ArgumentConstraint>> rules = new LinkedHashMap<>();
            List<AgentSection.ArgumentRule> list = t.arguments() == null ? List.of() : t.arguments();
            for (AgentSection.ArgumentRule r : list) {
                rules.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(constraint(policy, r));
            }
            tools.put(t.name(), new ToolRule(t.name(), t.resource() == null ? "tool://" + t.name() : t.resource(),
                    t.action() == null ? "execute" : t.action(), rules));
        }
        List<MethodTarget> methods = new ArrayList<>();
        for (AgentSection.Method m : section.methodsOrEmpty()) {
            methods.add(new MethodTarget(ClassPattern.of(m.className()), ClassPattern.of(m.method()), m.tool(), m.resource(), m.action()));
        }
        return new AgentSettings(section.identity(), section.enforcing(), List.copyOf(services), Map.copyOf(tools), List.copyOf(methods));
    }

    /** For tests: one identity, enforcing, the given tool rules and method targets. */
    static AgentSettings of(String identity, boolean enforcing, Map<String, ToolRule> tools, List<MethodTarget> methods) {
        return new AgentSettings(identity, enforcing, List.of(), Map.copyOf(tools), List.copyOf(methods));
    }

    private static ArgumentConstraint constraint(MoatPolicy policy, AgentSection.ArgumentRule r) {
        if (r.pathUnder() != null) {
            return ArgumentConstraint.pathUnder(policy.resolve(r.pathUnder()));
        }
        if (r.hostIn() != null) {
            return ArgumentConstraint.hostIn(r.hostIn().toArray(new String[0]));
        }
        if (r.oneOf() != null) {
            return ArgumentConstraint.oneOf(r.oneOf().toArray(new String[0]));
        }
        if (r.maxLength() != null) {
            return ArgumentConstraint.maxLength(r.maxLength());
        }
        return ArgumentConstraint.matches(r.matches());
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

    ToolRule tool(String name) {
        ToolRule r = tools.get(name);
        return r != null ? r : ToolRule.defaults(name);
    }

    List<MethodTarget> methods() {
        return methods;
    }
}
