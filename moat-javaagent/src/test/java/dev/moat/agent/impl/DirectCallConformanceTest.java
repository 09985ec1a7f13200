package dev.moat.agent.impl;

import dev.moat.agent.apps.ConformanceTools;
import dev.moat.guard.MoatDeniedException;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The shared guarded-call contract through the agent's direct-call hook: the {@code @Tool} methods
 * called by reflection, no framework in between; a denial is a {@link MoatDeniedException}.
 */
class DirectCallConformanceTest extends GuardedToolCallConformance {

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);
        ConformanceTools tools = new ConformanceTools(fx);
        return (tool, arguments) -> {
            Method m = AgentConformanceTest.toolMethod(ConformanceTools.class, tool);
            Object[] args = switch (tool) {
                case ConformanceFixture.WIRE_MONEY -> new Object[] {arguments.get("to"), ((Number) arguments.get("amount")).longValue()};
                case ConformanceFixture.READ_FILE -> new Object[] {arguments.get("path")};
                default -> new Object[] {arguments.get("text")};
            };
            try {
                return new ToolCallResult.Ran(String.valueOf(m.invoke(tools, args)));
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof MoatDeniedException denied) {
                    return new ToolCallResult.Denied(denied.decision().code(), denied.getMessage());
                }
                return new ToolCallResult.Failed(String.valueOf(e.getCause()));
            }
        };
    }
}
