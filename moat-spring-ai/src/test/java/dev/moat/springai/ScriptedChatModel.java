package dev.moat.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * An offline Spring AI {@link ChatModel} that plays a script: each turn sees the prompt's messages
 * and answers with tool calls or text. It records every prompt, so tests assert what the model
 * was shown (tool results, denials).
 */
public final class ScriptedChatModel implements ChatModel {
    private final List<Function<List<Message>, AssistantMessage>> turns;
    private final List<Prompt> prompts = new ArrayList<>();

    @SafeVarargs
    public ScriptedChatModel(Function<List<Message>, AssistantMessage>... turns) {
        this.turns = List.of(turns);
    }

    public static AssistantMessage calls(AssistantMessage.ToolCall... calls) {
        return AssistantMessage.builder().content("").toolCalls(List.of(calls)).build();
    }

    public static AssistantMessage.ToolCall call(String id, String name, String arguments) {
        return new AssistantMessage.ToolCall(id, "function", name, arguments);
    }

    public static AssistantMessage text(String text) {
        return new AssistantMessage(text);
    }

    /** The tool responses the model has been shown, in order. */
    public static List<ToolResponseMessage.ToolResponse> responses(List<Message> messages) {
        List<ToolResponseMessage.ToolResponse> out = new ArrayList<>();
        for (Message m : messages) {
            if (m instanceof ToolResponseMessage r) {
                out.addAll(r.getResponses());
            }
        }
        return out;
    }

    @Override
    public synchronized ChatResponse call(Prompt prompt) {
        prompts.add(prompt);
        int turn = prompts.size() - 1;
        AssistantMessage answer = turn < turns.size() ? turns.get(turn).apply(prompt.getInstructions())
                : text("(end of script)");
        return new ChatResponse(List.of(new Generation(answer)));
    }

    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    public synchronized List<Prompt> prompts() {
        return List.copyOf(prompts);
    }

    /** Everything the model was shown as tool results, across the whole chat. */
    public synchronized List<ToolResponseMessage.ToolResponse> shownResults() {
        return prompts.isEmpty() ? List.of() : responses(prompts.get(prompts.size() - 1).getInstructions());
    }
}
