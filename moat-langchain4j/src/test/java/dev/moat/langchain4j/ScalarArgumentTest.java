package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.service.AiServices;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.tool.Matches;
import dev.moat.tool.MaxLength;
import dev.moat.tool.OneOf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: a JSON array for a {@code String} parameter passes {@code @OneOf} / {@code @Matches} /
 * {@code @MaxLength} element by element, and LangChain4j then hands the tool the text
 * {@code [low, high]}, which no rule checked. Through real {@code AiServices}: refused for a scalar
 * parameter; a {@code List<String>} parameter still gets its elements checked and passed.
 */
@Timeout(60)
class ScalarArgumentTest {
    interface Assistant {
        String chat(String message);
    }

    public static final class Tools {
        final List<Object> received = new ArrayList<>();

        @Tool(name = "echo", value = "Echoes a level")
        public String echo(@OneOf({"low", "high"}) @Matches("[a-z]+") @MaxLength(4) String text) {
            received.add(text);
            return "echo:" + text;
        }

        @Tool(name = "read_file", value = "Reads named files")
        public String readFile(@OneOf({"a.txt", "b.txt"}) List<String> path) {
            received.add(path);
            return "read:" + path;
        }
    }

    private ConformanceFixture fx;
    private final Tools tools = new Tools();

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir, b -> b.detailedDenials(true)) /* the argument-shape messages are the detail */;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static AiMessage call(String id, String tool, String json) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name(tool).arguments(json).build());
    }

    @Test
    void anArrayForAStringParameterIsRefusedAndTheToolGetsNothing() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "echo", "{\"text\":[\"low\",\"high\"]}"),
                m -> call("2", "echo", "{\"text\":{\"a\":\"low\"}}"),
                m -> call("3", "echo", "{\"text\":\"high\"}"),
                m -> call("4", "read_file", "{\"path\":[\"a.txt\",\"b.txt\"]}"),
                m -> call("5", "read_file", "{\"path\":[\"a.txt\",\"../etc/passwd\"]}"),
                m -> AiMessage.from("done"));
        Assistant a = AiServices.builder(Assistant.class).chatModel(model)
                .tools(MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).build().tools(tools)).build();

        assertThat(a.chat("go")).isEqualTo("done");
        List<ToolExecutionResultMessage> r = model.toolResultsSeen();
        assertThat(r.get(0).text()).startsWith("denied:").contains("argument_rejected").contains("not an array");
        assertThat(r.get(1).text()).startsWith("denied:").contains("not an object");
        assertThat(r.get(2).text()).isEqualTo("echo:high");
        assertThat(r.get(3).text()).isEqualTo("read:[a.txt, b.txt]");
        assertThat(r.get(4).text()).startsWith("denied:").contains("must be one of");
        assertThat(tools.received).containsExactly("high", List.of("a.txt", "b.txt"));
    }
}
