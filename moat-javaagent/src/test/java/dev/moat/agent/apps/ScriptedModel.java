package dev.moat.agent.apps;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;

/** An offline ChatModel: first turn asks for the scripted tool calls, second turn reports every tool result it was shown. */
final class ScriptedModel implements ChatModel {
    private final List<ToolExecutionRequest> calls;

    ScriptedModel(List<ToolExecutionRequest> calls) {
        this.calls = calls;
    }

    static ToolExecutionRequest call(String id, String tool, String json) {
        return ToolExecutionRequest.builder().id(id).name(tool).arguments(json).build();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        List<String> results = new ArrayList<>();
        for (ChatMessage m : messages) {
            if (m instanceof ToolExecutionResultMessage r) {
                results.add(r.toolName() + " => " + r.text());
            }
        }
        if (results.isEmpty()) {
            return ChatResponse.builder().aiMessage(AiMessage.from(calls)).build();
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(String.join("\n", results))).build();
    }
}
