package dev.moat.agent.impl;

import dev.moat.langchain4j.constraint.ArgumentConstraint;
import java.util.List;
import java.util.Map;

/**
 * How one tool is guarded: its resource and action, and the rules its named arguments must keep
 * (the same {@link ArgumentConstraint}s as the LangChain4j decorator, checked on the signed bytes).
 */
record ToolRule(String tool, String resource, String action, Map<String, List<ArgumentConstraint>> arguments) {

    static ToolRule defaults(String tool) {
        return new ToolRule(tool, "tool://" + tool, "execute", Map.of());
    }
}
