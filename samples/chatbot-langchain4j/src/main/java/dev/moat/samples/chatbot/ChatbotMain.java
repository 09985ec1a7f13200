package dev.moat.samples.chatbot;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Console entry point. Offline by default: one scripted exchange in which an email tries to make
 * the assistant wire money and mail out a private key. With OPENAI_API_KEY or OLLAMA_BASE_URL set,
 * or with --interactive, you keep chatting ("exit" to stop); --interactive also asks you to approve
 * payments.
 */
public final class ChatbotMain {
    private ChatbotMain() {}

    public static void main(String[] args) throws Exception {
        boolean interactive = Arrays.asList(args).contains("--interactive");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Models.Choice model = Models.fromEnvironment();
        Path home = Files.createTempDirectory("moat-chatbot-");

        out.println("Moat + LangChain4j chatbot | model: " + model.description());
        out.println("home: " + home + " (documents/, .ssh/, .moat/audit.jsonl)");
        ChatbotDemo demo = new ChatbotDemo(home, model.model(), new ConsoleApprover(out, interactive ? in : null), out);
        ChatbotDemo.Report report;
        try {
            converse(demo, out, in, ChatbotDemo.FIRST_REQUEST);
            if (interactive || !model.scripted()) {
                for (String line; prompt(out) && (line = in.readLine()) != null && !line.trim().equals("exit"); ) {
                    if (!line.isBlank()) {
                        converse(demo, out, in, line);
                    }
                }
            }
        } finally {
            report = demo.finish();
        }
        summarise(report, out);
    }

    private static boolean prompt(PrintStream out) {
        out.print("\nyou> ");
        out.flush();
        return true;
    }

    private static void converse(ChatbotDemo demo, PrintStream out, BufferedReader in, String message) {
        out.println("\nyou> " + message);
        String answer = demo.ask(message);
        out.println("\nassistant> " + answer.replace("\n", "\n           "));
    }

    private static void summarise(ChatbotDemo.Report r, PrintStream out) {
        out.println("\n== What happened ==");
        out.println("transfers made: " + r.transfers().size());
        r.transfers().forEach(t -> out.printf("  EUR %d.%02d to %s (%s) ref %s%n",
                t.amountCents() / 100, t.amountCents() % 100, t.payee(), t.iban(), t.reference()));
        out.println("emails sent:    " + r.sent().size());
        r.sent().forEach(s -> out.println("  to " + s.to() + ": " + s.subject()));
        out.println("calls blocked:  " + r.denials().size());
        r.denials().forEach(d -> out.println("  " + d.tool() + " -> " + d.reasonCode()));
        out.println("audit log:      " + r.auditFile() + " -> " + (r.audit().isIntact() ? "verified intact" : "BROKEN: " + r.audit()));
    }
}
