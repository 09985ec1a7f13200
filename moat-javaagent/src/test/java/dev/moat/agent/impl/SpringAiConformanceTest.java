package dev.moat.agent.impl;

import dev.moat.agent.apps.SpringAiConformanceTools;
import dev.moat.guard.MoatDeniedException;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import java.util.Arrays;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;

/**
 * The shared guarded-call contract through the agent's Spring AI hook: the fixture's tools as a plain
 * Spring AI {@code @Tool} class, called through the real {@code MethodToolCallback}s Spring AI makes
 * for it (what its tool-calling manager calls), instrumented by the agent's transformer. Same decisions
 * as the decorator; one decision and one outcome per call although the callback, its overload and
 * the {@code @Tool} method are all guarded.
 */
class SpringAiConformanceTest extends GuardedToolCallConformance {

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);
        ToolCallback[] callbacks = callbacks(new SpringAiConformanceTools(fx));
        return (tool, arguments) -> call(callbacks, tool, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(arguments));
    }

    static ToolCallback[] callbacks(Object tools) {
        return MethodToolCallbackProvider.builder().toolObjects(tools).build().getToolCallbacks();
    }

    /** Calls {@code tool}'s callback as Spring AI's manager does and reads the result as the model would get it. */
    static ToolCallResult call(ToolCallback[] callbacks, String tool, String json) {
        ToolCallback callback = Arrays.stream(callbacks).filter(c -> c.getToolDefinition().name().equals(tool)).findFirst().orElseThrow();
        try {
            return new ToolCallResult.Ran(callback.call(json, null));
        } catch (ToolExecutionException e) {
            if (e.getCause() instanceof MoatDeniedException denied) {
                return new ToolCallResult.Denied(denied.decision().code(), e.getMessage());
            }
            return new ToolCallResult.Failed(e.getMessage());
        }
    }
}
