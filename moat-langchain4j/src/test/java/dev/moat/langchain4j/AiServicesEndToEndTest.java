package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.service.AiServices;
import dev.moat.guard.conformance.ConformanceFixture;
import dev.moat.tool.PathUnder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** AiServices, driven by a scripted model, with tools from {@link MoatTools#guarded}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AiServicesEndToEndTest {
    interface Assistant {
        String chat(String message);
    }

    static final class Tools {
        private final ConformanceFixture fx;

        Tools(ConformanceFixture fx) {
            this.fx = fx;
        }

        @Tool(name = "echo", value = "Echoes")
        public String echo(String text) {
            return fx.echo(text);
        }

        @Tool(name = "read_file", value = "Reads a workspace file")
        public String readFile(@PathUnder(".") String path) throws IOException {
            return fx.readFile(path);
        }

        @Tool(name = "wire_money", value = "Wires money")
        public String wireMoney(String to, long amount) {
            return fx.wireMoney(to, amount);
        }
    }

    private ConformanceFixture fx;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        fx = new ConformanceFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static AiMessage call(String id, String tool, String json) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name(tool).arguments(json).build());
    }

    private Assistant assistant(ScriptedChatModel model) {
        return AiServices.builder(Assistant.class).chatModel(model)
                .tools(MoatTools.builder(fx.guard(), ConformanceFixture.AGENT).workspace(fx.workspace()).build().tools(new Tools(fx)))
                .build();
    }

    @Test
    void allowedResultReachesTheModel() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "read_file", "{\"path\":\"notes.txt\"}"),
                m -> AiMessage.from("done"));

        String answer = assistant(model).chat("what's in my notes?");

        assertThat(answer).isEqualTo("done");
        assertThat(model.toolResultsSeen()).singleElement()
                .satisfies(r -> assertThat(r.text()).isEqualTo("meeting at noon"));
        assertThat(fx.verifyAudit().isIntact()).isTrue();
    }

    @Test
    void denialTextReachesTheModelAndTheChatGoesOn() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "wire_money", "{\"to\":\"DE89 3704 0044\",\"amount\":500000}"),
                m -> call("2", "read_file", "{\"path\":\"../secrets.txt\"}"),
                m -> call("3", "echo", "{\"text\":\"still working\"}"),
                m -> AiMessage.from("finished"));

        String answer = assistant(model).chat("do things");

        assertThat(answer).isEqualTo("finished");
        assertThat(model.turns()).isEqualTo(4);
        var results = model.toolResultsSeen();
        assertThat(results).extracting(ToolExecutionResultMessage::text).satisfiesExactly(
                t -> assertThat(t).startsWith("denied:").contains("not_granted"),
                t -> assertThat(t).isEqualTo("denied: the arguments are not allowed. (guard/argument_rejected)"), // no workspace path
                t -> assertThat(t).isEqualTo("echo:still working"));
        assertThat(results.get(0).isError()).isTrue();
        assertThat(fx.runs("wire_money")).isZero();
        assertThat(fx.runs("read_file")).isZero();
        assertThat(fx.verifyAudit().isIntact()).isTrue();
        assertThat(fx.decisions()).filteredOn(d -> !d.allowed()).extracting(d -> d.reasonCode())
                .containsExactly("not_granted", "argument_rejected");
    }

    @Test
    void toolErrorReachesTheModelAndIsAuditedAsError() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "read_file", "{\"path\":\"missing.txt\"}"),
                m -> AiMessage.from("sorry"));

        assertThat(assistant(model).chat("read missing")).isEqualTo("sorry");

        assertThat(model.toolResultsSeen()).singleElement().satisfies(r -> assertThat(r.text()).contains("missing.txt"));
        assertThat(fx.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status().wire()).isEqualTo("error");
            assertThat(o.error()).isEqualTo("dev.langchain4j.exception.ToolExecutionException");
        });
        assertThat(fx.verifyAudit().isIntact()).isTrue();
    }
}
