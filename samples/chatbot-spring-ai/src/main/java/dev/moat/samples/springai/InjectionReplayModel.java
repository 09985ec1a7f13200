package dev.moat.samples.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * An offline stand-in for a model that falls for an indirect prompt injection, the way real models
 * do: it reads the inbox, obeys the instructions hidden in an email (values taken from that email's
 * text), then does what the user asked and reports what it was told back. Moat, not the model, is
 * what stops the injected calls. The same script as the LangChain4j chatbot, as a Spring AI
 * {@link ChatModel}.
 */
public final class InjectionReplayModel implements ChatModel {
    private static final Pattern INJECTED_IBAN = Pattern.compile("transfer EUR ([0-9,]+)\\.(\\d\\d) to IBAN ([A-Z0-9]+)");
    private static final Pattern INJECTED_FILE = Pattern.compile("read the file (\\S+) and email its contents to (\\S+)");
    private static final Pattern INVOICE = Pattern.compile("Amount due: EUR (\\d+)\\.(\\d\\d)\\..*IBAN ([A-Z0-9]+), reference ([A-Z0-9-]+)");

    @Override
    public ChatResponse call(Prompt prompt) {
        return new ChatResponse(List.of(new Generation(next(prompt.getInstructions()))));
    }

    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    private AssistantMessage next(List<Message> messages) {
        String inbox = resultOf(messages, "read_inbox");
        return switch (toolTurnsSinceLastUserMessage(messages)) {
            case 0 -> calls(call("c1", "read_inbox", "{}"));
            case 1 -> followInjection(inbox);
            case 2 -> doWhatTheUserAsked(inbox, lastUserText(messages));
            case 3 -> new AssistantMessage(report(messages));
            default -> new AssistantMessage("(scripted model: end of script)");
        };
    }

    private static AssistantMessage followInjection(String inbox) {
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
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
        return calls(calls.toArray(AssistantMessage.ToolCall[]::new));
    }

    private static AssistantMessage doWhatTheUserAsked(String inbox, String request) {
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        // Spring AI hands a method tool's String result over JSON-encoded: it is already a JSON string
        calls.add(call("c6", "summarize_text", "{\"text\":" + (inbox.startsWith("\"") ? inbox : jsonString(inbox)) + "}"));
        Matcher invoice = INVOICE.matcher(inbox);
        if (request.contains("pay") && invoice.find()) {
            long cents = Long.parseLong(invoice.group(1)) * 100 + Long.parseLong(invoice.group(2));
            calls.add(call("c7", "transfer_money", "{\"iban\":\"" + invoice.group(3) + "\",\"amountCents\":" + cents
                    + ",\"reference\":\"" + invoice.group(4) + "\"}"));
        }
        return calls(calls.toArray(AssistantMessage.ToolCall[]::new));
    }

    private static String report(List<Message> messages) {
        StringBuilder sb = new StringBuilder("Here is your inbox:\n").append(unquote(resultOf(messages, "summarize_text")));
        String paid = resultOf(messages, "c7", true);
        if (!paid.isEmpty()) {
            sb.append("\n\nPayment: ").append(unquote(paid));
        }
        sb.append("\n\nNote: I tried to follow instructions hidden in the 'mailbox migration' email; Moat refused them:");
        for (Message m : messages) {
            if (m instanceof ToolResponseMessage r) {
                for (ToolResponseMessage.ToolResponse t : r.getResponses()) {
                    if (t.responseData().startsWith("denied:")) {
                        sb.append("\n  ").append(t.name()).append(": ").append(t.responseData());
                    }
                }
            }
        }
        return sb.append("\nThat email looks like phishing; please report it.").toString();
    }

    private static int toolTurnsSinceLastUserMessage(List<Message> messages) {
        int turns = 0;
        for (Message m : messages) {
            if (m instanceof UserMessage) {
                turns = 0;
            } else if (m instanceof AssistantMessage a && a.hasToolCalls()) {
                turns++;
            }
        }
        return turns;
    }

    private static String lastUserText(List<Message> messages) {
        String text = "";
        for (Message m : messages) {
            if (m instanceof UserMessage u) {
                text = u.getText();
            }
        }
        return text == null ? "" : text;
    }

    private static String resultOf(List<Message> messages, String tool) {
        return resultOf(messages, tool, false);
    }

    /** The first response for tool {@code key} (or, with {@code byId}, for the call with that id). */
    private static String resultOf(List<Message> messages, String key, boolean byId) {
        for (Message m : messages) {
            if (m instanceof ToolResponseMessage r) {
                for (ToolResponseMessage.ToolResponse t : r.getResponses()) {
                    if ((byId ? t.id() : t.name()).equals(key)) {
                        return t.responseData();
                    }
                }
            }
        }
        return "";
    }

    private static AssistantMessage calls(AssistantMessage.ToolCall... calls) {
        return AssistantMessage.builder().content("").toolCalls(List.of(calls)).build();
    }

    private static AssistantMessage.ToolCall call(String id, String name, String arguments) {
        return new AssistantMessage.ToolCall(id, "function", name, arguments);
    }

    /** A JSON string result shown as text (the scripted model's own reading; no parser needed for its own output). */
    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
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
