package dev.moat.agent.impl;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolService;
import dev.moat.agent.apps.ConformanceTools;
import dev.moat.check.ReasonCode;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The shared guarded-call contract through the agent's LangChain4j hook: the fixture's tools as a
 * plain {@code @Tool} class, executed by LangChain4j's own {@code ToolService.executeWithErrorHandling}
 * (what every AI service does), instrumented by the agent's transformer. Same decisions as the decorator.
 */
class AgentConformanceTest extends GuardedToolCallConformance {

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        InProcessAgent.use(fx.guard(), ConformanceFixture.AGENT, fx.workspace(), true);
        ConformanceTools tools = new ConformanceTools(fx);
        return (tool, arguments) -> normalise(execute(tools, tool,
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(arguments)));
    }

    /** Runs {@code tool} the way an AI service does: through ToolService.executeWithErrorHandling. */
    static ToolExecutionResult execute(Object tools, String tool, String json) {
        ToolExecutionRequest request = ToolExecutionRequest.builder().id("call-1").name(tool).arguments(json).build();
        Method method = toolMethod(tools.getClass(), tool);
        DefaultToolExecutor executor = DefaultToolExecutor.builder().object(tools).originalMethod(method).methodToInvoke(method)
                .wrapToolArgumentsExceptions(true).propagateToolExecutionExceptions(true).build();
        return ToolService.executeWithErrorHandling(request, executor,
                InvocationContext.builder().chatMemoryId("default").build(),
                (e, c) -> ToolErrorHandlerResult.text("bad arguments: " + e.getMessage()),
                (e, c) -> ToolErrorHandlerResult.text("failed: " + e.getMessage()));
    }

    static Method toolMethod(Class<?> type, String tool) {
        String name = switch (tool) {
            case ConformanceFixture.ECHO -> "echo";
            case ConformanceFixture.READ_FILE -> "readFile";
            case ConformanceFixture.WIRE_MONEY -> "wireMoney";
            default -> tool;
        };
        return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    static ToolCallResult normalise(ToolExecutionResult r) {
        Object code = r.attributes().get(LangChain4jAccess.REASON_CODE);
        if (code != null) {
            return new ToolCallResult.Denied(ReasonCode.fromCode((String) code), r.resultText());
        }
        return r.isError() ? new ToolCallResult.Failed(r.resultText()) : new ToolCallResult.Ran(r.resultText());
    }
}
