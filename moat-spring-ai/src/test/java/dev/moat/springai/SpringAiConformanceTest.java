package dev.moat.springai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.check.ReasonCode;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.guard.conformance.GuardedToolCallConformance;
import dev.moat.guard.conformance.ToolCallResult;
import dev.moat.tool.PathUnder;
import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * The shared guarded-call contract through Spring AI: the fixture's tools as {@code @Tool} methods,
 * turned into Spring AI's own {@code MethodToolCallback}s and guarded by {@link MoatToolCallbacks};
 * each call goes through {@link ToolCallback#call(String, ToolContext)} exactly as
 * {@code DefaultToolCallingManager} makes it, and the result is read from the text the model would
 * see. The workspace rule on {@code read_file} is core's {@code @PathUnder} on the Spring AI tool
 * method, as on the LangChain4j one.
 */
class SpringAiConformanceTest extends GuardedToolCallConformance {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DENIAL = Pattern.compile("^denied: .* \\(([a-z_]+)/([a-z_]+)\\)$", Pattern.DOTALL);

    /** The fixture's three tools as Spring AI tools. */
    static final class FixtureTools {
        private final ConformanceFixture fx;

        FixtureTools(ConformanceFixture fx) {
            this.fx = fx;
        }

        @Tool(name = ConformanceFixture.ECHO, description = "Echoes the text")
        public String echo(String text) {
            return fx.echo(text);
        }

        @Tool(name = ConformanceFixture.READ_FILE, description = "Reads a file from the workspace")
        public String readFile(@PathUnder(".") String path) throws IOException {
            return fx.readFile(path);
        }

        @Tool(name = ConformanceFixture.WIRE_MONEY, description = "Wires money")
        public String wireMoney(String to, long amount) {
            return fx.wireMoney(to, amount);
        }
    }

    @Override
    protected GuardedInvoker integrate(ConformanceFixture fx) {
        ToolCallback[] tools = MoatToolCallbacks.builder(fx.guard(), ConformanceFixture.AGENT)
                .workspace(fx.workspace())
                .build().from(new FixtureTools(fx));
        return (tool, arguments) -> {
            ToolCallback callback = Arrays.stream(tools).filter(t -> t.getToolDefinition().name().equals(tool)).findFirst().orElseThrow();
            try {
                return normalise(callback.call(JSON.writeValueAsString(arguments), new ToolContext(java.util.Map.of())));
            } catch (ToolExecutionException e) {
                return new ToolCallResult.Failed(e.getMessage());
            }
        };
    }

    /** What the model reads: a denial is {@code denied: ... (stage/code)}, anything else is the tool's result. */
    static ToolCallResult normalise(String text) {
        Matcher m = DENIAL.matcher(text);
        if (m.matches()) {
            return new ToolCallResult.Denied(ReasonCode.fromCode(m.group(2)), text);
        }
        return new ToolCallResult.Ran(text);
    }

}
