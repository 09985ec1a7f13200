package dev.moat.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A ChatModel that answers from a script, one step per model turn, and remembers what it was sent. */
final class ScriptedChatModel implements ChatModel {
    private final List<Function<List<ChatMessage>, AiMessage>> steps;
    private final List<List<ChatMessage>> seen = new ArrayList<>();

    @SafeVarargs
    ScriptedChatModel(Function<List<ChatMessage>, AiMessage>... steps) {
        this.steps = List.of(steps);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        int turn = seen.size();
        seen.add(List.copyOf(request.messages()));
        if (turn >= steps.size()) {
            throw new IllegalStateException("script has no step " + turn);
        }
        return ChatResponse.builder().aiMessage(steps.get(turn).apply(request.messages())).build();
    }

    /** Every tool result the model was shown, in order. */
    List<ToolExecutionResultMessage> toolResultsSeen() {
        List<ToolExecutionResultMessage> out = new ArrayList<>();
        if (!seen.isEmpty()) {
            for (ChatMessage m : seen.get(seen.size() - 1)) {
                if (m instanceof ToolExecutionResultMessage r) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    int turns() {
        return seen.size();
    }
}
