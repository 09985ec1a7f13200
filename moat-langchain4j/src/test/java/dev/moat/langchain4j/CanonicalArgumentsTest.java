package dev.moat.langchain4j;

import dev.moat.tool.ToolPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.langchain4j.internal.Results;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The argument bytes a LangChain4j tool receives are core's canonical JSON: one encoder for every adapter. */
@Timeout(60)
class CanonicalArgumentsTest {
    private ConformanceFixture fx;
    private final List<String> received = new ArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ToolExecutionResult run(ToolExecutor delegate, String json) {
        var ex = new GuardedToolExecutor(fx.guard(), ConformanceFixture.AGENT, ToolPolicy.defaults("echo"), delegate, null);
        return ex.executeWithContext(ToolExecutionRequest.builder().id("1").name("echo").arguments(json).build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    private ToolExecutor recording() {
        return (request, memoryId) -> {
            received.add(request.arguments());
            return "ok";
        };
    }

    @Test
    void numbersReachTheToolAsTheModelWroteThem() {
        run(recording(), "{\"price\": 12.50, \"count\": 1e3, \"id\": 12345678901234567890123, \"tiny\": -0.000001}");

        assertThat(received).containsExactly("{\"count\":1e3,\"id\":12345678901234567890123,\"price\":12.50,\"tiny\":-0.000001}");
    }

    @Test
    void stringsUseTheProtocolsMinimalEscapes() {
        run(recording(), "{\"text\":\"line\\none \\u00e9 \\/ \\\"q\\\"\"}");

        assertThat(received).containsExactly("{\"text\":\"line\\u000aone \u00e9 / \\\"q\\\"\"}");
    }

    @Test
    void anEscapedLoneSurrogateIsDeniedNotTurnedIntoAQuestionMark() {
        ToolExecutionResult r = run(recording(), "{\"text\":\"pay \\ud800 now\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(received).isEmpty();
        assertThat(fx.decisions()).anySatisfy(d -> assertThat(d.reasonCode()).isEqualTo("argument_rejected"));
    }

    @Test
    void aRawLoneSurrogateInTheArgumentStringIsDenied() {
        ToolExecutionResult r = run(recording(), "{\"text\":\"pay " + (char) 0xdc01 + " now\"}");

        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "argument_rejected");
        assertThat(received).isEmpty();
    }

    @Test
    void aRealToolMethodGetsTheExactValues() throws Exception {
        Priced tool = new Priced();
        DefaultToolExecutor delegate = new DefaultToolExecutor(tool, Priced.class.getMethod("echo", String.class, BigDecimal.class));

        ToolExecutionResult r = run(delegate, "{\"amount\": 12.50, \"text\": \"a\\tb\"}");

        assertThat(r.resultText()).isEqualTo("ok");
        assertThat(tool.text).isEqualTo("a\tb");
        // LangChain4j 1.19's DefaultToolExecutor reads numbers through double (a 30-digit decimal arrives
        // rounded); the bytes Moat hands it are exact, as numbersReachTheToolAsTheModelWroteThem shows
        assertThat(tool.amount).isEqualByComparingTo("12.5");
    }

    /** A LangChain4j tool with a decimal parameter. */
    public static final class Priced {
        String text;
        BigDecimal amount;

        @Tool("echoes")
        public String echo(@P("text") String text, @P("amount") BigDecimal amount) {
            this.text = text;
            this.amount = amount;
            return "ok";
        }
    }
}
