package dev.moat.agent.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;

/**
 * A Spring AI application that knows nothing of Moat: {@code @Tool} methods (as
 * {@code MethodToolCallback}s) and lambda tools ({@code FunctionToolCallback}), executed by Spring
 * AI's own {@code DefaultToolCallingManager} for a scripted model turn, then direct calls of the
 * callbacks and of a {@code @Tool} method. Argument {@code rethrow}: the manager's exception
 * processor rethrows tool errors ({@code alwaysThrow}). Prints one line per observation.
 */
public final class SpringAiApp {
    static final AtomicInteger ECHO_RUNS = new AtomicInteger();
    static final AtomicInteger WIRE_RUNS = new AtomicInteger();
    static final AtomicInteger LOOKUP_RUNS = new AtomicInteger();
    static final AtomicInteger DELETE_RUNS = new AtomicInteger();

    public static final class Tools {
        @Tool(name = "echo", description = "Echoes the text")
        public String echo(String text) {
            ECHO_RUNS.incrementAndGet();
            return "echo:" + text;
        }

        @Tool(name = "wire_money", description = "Wires money")
        public String wireMoney(String to, long amount) {
            WIRE_RUNS.incrementAndGet();
            return "sent " + amount + " to " + to;
        }
    }

    public record Query(String key) {}

    public static void main(String[] args) {
        boolean rethrow = args.length > 0 && args[0].equals("rethrow");
        List<ToolCallback> callbacks = new ArrayList<>(List.of(
                MethodToolCallbackProvider.builder().toolObjects(new Tools()).build().getToolCallbacks()));
        Function<Query, String> lookup = q -> "found " + q.key() + " " + LOOKUP_RUNS.incrementAndGet();
        Function<Query, String> delete = q -> "deleted " + DELETE_RUNS.incrementAndGet();
        callbacks.add(FunctionToolCallback.builder("lookup", lookup).description("looks up").inputType(Query.class).build());
        callbacks.add(FunctionToolCallback.builder("delete_all", delete).description("deletes").inputType(Query.class).build());

        ToolCallingManager manager = DefaultToolCallingManager.builder()
                .toolExecutionExceptionProcessor(DefaultToolExecutionExceptionProcessor.builder().alwaysThrow(rethrow).build())
                .build();
        Prompt prompt = new Prompt(List.of(), ToolCallingChatOptions.builder().toolCallbacks(callbacks).build());
        AssistantMessage turn = AssistantMessage.builder().content("").toolCalls(List.of(
                new AssistantMessage.ToolCall("1", "function", "echo", "{\"text\":\"hi\"}"),
                new AssistantMessage.ToolCall("2", "function", "wire_money", "{\"to\":\"DE00 1234\",\"amount\":5000}"),
                new AssistantMessage.ToolCall("3", "function", "lookup", "{\"key\":\"k1\"}"),
                new AssistantMessage.ToolCall("4", "function", "delete_all", "{\"key\":\"all\"}"))).build();
        try {
            ToolExecutionResult result = manager.executeToolCalls(prompt, new ChatResponse(List.of(new Generation(turn))));
            List<Message> history = result.conversationHistory();
            ToolResponseMessage responses = (ToolResponseMessage) history.get(history.size() - 1);
            for (ToolResponseMessage.ToolResponse r : responses.getResponses()) {
                System.out.println("MODEL-SAW " + r.name() + " => " + r.responseData());
            }
        } catch (RuntimeException e) {
            System.out.println("CHAT threw " + e.getClass().getSimpleName() + " cause "
                    + (e.getCause() == null ? "none" : e.getCause().getClass().getSimpleName()) + ": " + e.getMessage());
        }

        ToolCallback wire = callbacks.stream().filter(c -> c.getToolDefinition().name().equals("wire_money")).findFirst().orElseThrow();
        ToolCallback echo = callbacks.stream().filter(c -> c.getToolDefinition().name().equals("echo")).findFirst().orElseThrow();
        ToolCallback deleteAll = callbacks.get(3);
        report("callback-wire", () -> wire.call("{\"to\":\"x\",\"amount\":1}"));
        report("callback-echo", () -> echo.call("{\"text\":\"direct\"}"));
        report("callback-delete", () -> deleteAll.call("{\"key\":\"x\"}", null));
        report("method-wire", () -> new Tools().wireMoney("y", 2));
        System.out.println("RUNS echo=" + ECHO_RUNS.get() + " wire_money=" + WIRE_RUNS.get()
                + " lookup=" + LOOKUP_RUNS.get() + " delete_all=" + DELETE_RUNS.get());
    }

    interface Body {
        String run();
    }

    private static void report(String path, Body body) {
        try {
            System.out.println("DIRECT " + path + " ok " + body.run());
        } catch (RuntimeException t) {
            System.out.println("DIRECT " + path + " threw " + t.getClass().getSimpleName() + " cause "
                    + (t.getCause() == null ? "none" : t.getCause().getClass().getSimpleName()) + ": " + t.getMessage());
        }
    }
}
