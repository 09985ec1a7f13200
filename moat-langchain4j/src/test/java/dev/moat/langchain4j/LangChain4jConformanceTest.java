package dev.moat.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.check.ReasonCode;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import dev.moat.tool.PathUnder;
import dev.moat.langchain4j.internal.Results;
import java.io.IOException;
import java.util.Map;

/** The shared guarded-call contract, through annotated {@code @Tool} methods and {@link GuardedToolExecutor}. */
class LangChain4jConformanceTest extends GuardedToolCallConformance {

    /** The fixture's three tools as a LangChain4j tool class. */
    static final class FixtureTools {
        private final ConformanceFixture fx;

        FixtureTools(ConformanceFixture fx) {
            this.fx = fx;
        }

        @Tool(name = ConformanceFixture.ECHO, value = "Echoes the text")
        public String echo(String text) {
            return fx.echo(text);
        }

        @Tool(name = ConformanceFixture.READ_FILE, value = "Reads a file from the workspace")
        public String readFile(@PathUnder(".") String path) throws IOException {
            return fx.readFile(path);
        }

        @Tool(name = ConformanceFixture.WIRE_MONEY, value = "Wires money")
        public String wireMoney(@P("IBAN") String to, @P("amount in cents") long amount) {
            return fx.wireMoney(to, amount);
        }
    }

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        Map<ToolSpecification, ToolExecutor> tools = MoatTools.builder(fx.guard(), ConformanceFixture.AGENT)
                .workspace(fx.workspace()).build().tools(new FixtureTools(fx));
        return (tool, arguments) -> {
            ToolExecutor executor = tools.entrySet().stream().filter(e -> e.getKey().name().equals(tool))
                    .findFirst().orElseThrow().getValue();
            ToolExecutionRequest request = ToolExecutionRequest.builder().id("call-1").name(tool)
                    .arguments(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(arguments)).build();
            return normalise(executor.executeWithContext(request, InvocationContext.builder().chatMemoryId("default").build()));
        };
    }

    static ToolCallResult normalise(ToolExecutionResult r) {
        Object code = r.attributes().get(Results.REASON_CODE);
        if (code != null) {
            return new ToolCallResult.Denied(ReasonCode.fromCode((String) code), r.resultText());
        }
        return r.isError() ? new ToolCallResult.Failed(r.resultText()) : new ToolCallResult.Ran(r.resultText());
    }
}
