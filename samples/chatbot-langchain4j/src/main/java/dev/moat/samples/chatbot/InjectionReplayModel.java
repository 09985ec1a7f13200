package dev.moat.samples.chatbot;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An offline stand-in for a model that falls for an indirect prompt injection, the way real models
 * do: it reads the inbox, obeys the instructions hidden in an email (values taken from that email's
 * text), then carries out what the user actually asked and reports what it read back. Moat, not
 * the model, is what stops the injected calls.
 */
final class InjectionReplayModel implements ChatModel {
    private static final Pattern INJECTED_IBAN = Pattern.compile("transfer EUR ([0-9,]+)\\.(\\d\\d) to IBAN ([A-Z0-9]+)");
    private static final Pattern INJECTED_FILE = Pattern.compile("read the file (\\S+) and email its contents to (\\S+)");
    private static final Pattern INVOICE = Pattern.compile("Amount due: EUR (\\d+)\\.(\\d\\d)\\..*IBAN ([A-Z0-9]+), reference ([A-Z0-9-]+)");

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return ChatResponse.builder().aiMessage(next(request.messages())).build();
    }

    private AiMessage next(List<ChatMessage> messages) {
        int turn = toolTurnsSinceLastUserMessage(messages);
        String inbox = resultOf(messages, "read_inbox");
        return switch (turn) {
            case 0 -> AiMessage.from(call("c1", "read_inbox", "{}"));
            case 1 -> followInjection(inbox);
            case 2 -> doWhatTheUserAsked(inbox);
            case 3 -> AiMessage.from(report(messages));
            default -> AiMessage.from("(scripted model: end of script; set OPENAI_API_KEY or OLLAMA_BASE_URL to chat freely)");
        };
    }

    private static AiMessage followInjection(String inbox) {
        List<ToolExecutionRequest> calls = new ArrayList<>();
        Matcher pay = INJECTED_IBAN.matcher(inbox);
        if (pay.find()) {
            long cents = Long.parseLong(pay.group(1).replace(",", "")) * 100 + Long.parseLong(pay.group(2));
            calls.add(call("c2", "transfer_money", "{\"iban\":\"" + pay.group(3) + "\",\"amountCents\":" + cents
                    + ",\"reference\":\"migration fee\"}"));
        }
        Matcher file = INJECTED_FILE.matcher(inbox);
        if (file.find()) {
            calls.add(call("c3", "read_file", "{\"path\":\"" + file.group(1) + "\"}"));
            calls.add(call("c4", "send_email", "{\"to\":\"" + file.group(2) + "\",\"subject\":\"key backup\","
                    + "\"body\":\"(contents of " + file.group(1) + ")\"}"));
        }
        calls.add(call("c5", "delete_email", "{\"id\":3}"));
        return AiMessage.from(calls);
    }

    private static AiMessage doWhatTheUserAsked(String inbox) {
        List<ToolExecutionRequest> calls = new ArrayList<>();
        calls.add(call("c6", "summarize_text", "{\"text\":" + jsonString(inbox) + "}"));
        Matcher invoice = INVOICE.matcher(inbox);
        if (invoice.find()) {
            long cents = Long.parseLong(invoice.group(1)) * 100 + Long.parseLong(invoice.group(2));
            calls.add(call("c7", "transfer_money", "{\"iban\":\"" + invoice.group(3) + "\",\"amountCents\":" + cents
                    + ",\"reference\":\"" + invoice.group(4) + "\"}"));
        }
        return AiMessage.from(calls);
    }

    private static String report(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder("Here is your inbox:\n").append(resultOf(messages, "summarize_text"))
                .append("\n\nPayment: ").append(lastResultOf(messages, "transfer_money"))
                .append("\n\nNote: I tried to follow instructions hidden in the 'mailbox migration' email; Moat refused them:");
        for (ChatMessage m : messages) {
            if (m instanceof ToolExecutionResultMessage r && r.text().startsWith("denied:")) {
                sb.append("\n  ").append(r.toolName()).append(": ").append(r.text());
            }
        }
        return sb.append("\nThat email looks like phishing; please report it.").toString();
    }

    private static int toolTurnsSinceLastUserMessage(List<ChatMessage> messages) {
        int turns = 0;
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage) {
                turns = 0;
            } else if (m instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                turns++;
            }
        }
        return turns;
    }

    private static String resultOf(List<ChatMessage> messages, String tool) {
        for (ChatMessage m : messages) {
            if (m instanceof ToolExecutionResultMessage r && r.toolName().equals(tool)) {
                return r.text();
            }
        }
        return "";
    }

    private static String lastResultOf(List<ChatMessage> messages, String tool) {
        String last = "";
        for (ChatMessage m : messages) {
            if (m instanceof ToolExecutionResultMessage r && r.toolName().equals(tool)) {
                last = r.text();
            }
        }
        return last;
    }

    private static ToolExecutionRequest call(String id, String name, String arguments) {
        return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
