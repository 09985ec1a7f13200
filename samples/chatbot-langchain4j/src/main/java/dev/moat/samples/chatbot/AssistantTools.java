package dev.moat.samples.chatbot;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.moat.tool.MoatTool;
import dev.moat.tool.Matches;
import dev.moat.tool.MaxLength;
import dev.moat.tool.OneOf;
import dev.moat.tool.PathUnder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The assistant's tools. Moat guards each as {@code tool://<name>}; the annotations on the
 * parameters are the argument rules, checked on the exact signed arguments before the tool runs.
 */
final class AssistantTools {
    private final Mailbox mailbox;
    private final Bank bank;
    private final Path home;

    AssistantTools(Mailbox mailbox, Bank bank, Path home) {
        this.mailbox = mailbox;
        this.bank = bank;
        this.home = home;
    }

    @Tool(name = "read_inbox", value = "Lists the emails in the user's inbox with sender, subject and body")
    public String readInbox() {
        return mailbox.inbox().stream()
                .map(e -> "#" + e.id() + " From: " + e.from() + "\nSubject: " + e.subject() + "\n" + e.body())
                .collect(Collectors.joining("\n---\n"));
    }

    @Tool(name = "send_email", value = "Sends an email from the user's account (colleagues at acme.test only)")
    public String sendEmail(@Matches("[A-Za-z0-9._%+-]+@acme\\.test") String to,
                            @MaxLength(200) String subject,
                            @MaxLength(4000) String body) {
        mailbox.send(to, subject, body);
        return "sent to " + to;
    }

    @Tool(name = "transfer_money", value = "Transfers money from the user's account to a saved payee")
    @MoatTool(approval = true)
    public String transferMoney(@P("IBAN of a saved payee") @OneOf({"DE02120300000000202051", "DE89370400440532013000"}) String iban,
                                @P("amount in euro cents") long amountCents,
                                @P("payment reference") @MaxLength(140) String reference) {
        Bank.Transfer t = bank.transfer(iban, amountCents, reference);
        return String.format("transferred EUR %d.%02d to %s (%s), reference %s",
                amountCents / 100, amountCents % 100, t.payee(), iban, reference);
    }

    @Tool(name = "read_file", value = "Reads a text file from the user's documents folder")
    public String readFile(@P("path relative to the documents folder") @PathUnder("documents") String path) throws IOException {
        return Files.readString(home.resolve("documents").resolve(path), StandardCharsets.UTF_8);
    }

    @Tool(name = "delete_email", value = "Deletes an email from the inbox")
    public String deleteEmail(int id) {
        return mailbox.delete(id) ? "deleted #" + id : "no email #" + id;
    }

    /** The "skill". A plain Java tool: Moat's Wasm sandbox is not wired into moat-langchain4j yet. */
    @Tool(name = "summarize_text", value = "Skill: summarises a text in a few lines (plain Java, not sandboxed)")
    public String summarizeText(@MaxLength(20000) String text) {
        return text.lines()
                .filter(l -> l.startsWith("Subject:"))
                .map(l -> "- " + l.substring("Subject:".length()).trim())
                .collect(Collectors.joining("\n"));
    }
}
