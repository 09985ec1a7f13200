package dev.moat.samples.springai11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.identity.AgentKeypair;
import dev.moat.springai.MoatToolCallbacks;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Spring AI 1.1 (chat models call the ToolCallingManager themselves): the decorated 1.1
 * {@code DefaultToolCallingManager} guards 1.1 {@code MethodToolCallback}s given in the prompt's
 * (mutable, 1.1-style) options; the granted call runs with canonical arguments, the other is
 * denied as a readable tool response; a guarded callback works on its own too.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpringAi11Test {
    private final AgentKeypair owner = AgentKeypair.generate("owner");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final Moat moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner")
            .capability("assistant", TokenChain.issue(owner, Grant.to(assistant.id()).allow("tool://read_inbox", "execute")
                    .validFor(Duration.ofHours(1)).build()))
            .inMemoryStores(AgentKeypair.generate("moat-audit")).build();

    static final class Tools {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Tool(name = "read_inbox", description = "Lists the inbox")
        public String readInbox(int limit) {
            ran.add("read_inbox:" + limit);
            return limit + " emails";
        }

        @Tool(name = "delete_email", description = "Deletes an email")
        public String deleteEmail(int id) {
            ran.add("delete_email:" + id);
            return "deleted";
        }
    }

    @AfterEach
    void close() {
        moat.close();
    }

    @Test
    void theDecoratedManagerGuardsOneOneToolCalls() {
        Tools tools = new Tools();
        ToolCallback[] plain = ToolCallbacks.from(tools);
        ToolCallingManager manager = MoatToolCallbacks.builder(moat.guard(), "assistant").build()
                .manager(DefaultToolCallingManager.builder().build());
        Prompt prompt = new Prompt(List.of(new UserMessage("clean up")),
                ToolCallingChatOptions.builder().toolCallbacks(plain).build());
        AssistantMessage calls = AssistantMessage.builder().content("").toolCalls(List.of(
                new AssistantMessage.ToolCall("c1", "function", "read_inbox", "{ \"limit\" : 2 }"),
                new AssistantMessage.ToolCall("c2", "function", "delete_email", "{\"id\":1}"))).build();

        ToolExecutionResult result = manager.executeToolCalls(prompt, new ChatResponse(List.of(new Generation(calls))));

        ToolResponseMessage responses = (ToolResponseMessage) result.conversationHistory().get(result.conversationHistory().size() - 1);
        assertThat(responses.getResponses()).extracting(ToolResponseMessage.ToolResponse::responseData)
                .satisfiesExactly(r -> assertThat(r).contains("2 emails"),
                        r -> assertThat(r).startsWith("denied:").contains("(capability/not_granted)"));
        assertThat(tools.ran).containsExactly("read_inbox:2");
        assertThat(((ToolCallingChatOptions) prompt.getOptions()).getToolCallbacks()).containsExactly(plain); // the app's options untouched
    }

    @Test
    void aGuardedCallbackWorksOnItsOwn() {
        Tools tools = new Tools();
        ToolCallback[] guarded = MoatToolCallbacks.builder(moat.guard(), "assistant").build().from(tools);

        ToolCallback delete = java.util.Arrays.stream(guarded).filter(c -> c.getToolDefinition().name().equals("delete_email"))
                .findFirst().orElseThrow();

        assertThat(delete.call("{\"id\":7}")).startsWith("denied:");
        assertThat(tools.ran).isEmpty();
    }
}
