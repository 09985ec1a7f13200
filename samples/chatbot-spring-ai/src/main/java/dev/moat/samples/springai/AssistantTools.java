package dev.moat.samples.springai;

import dev.moat.tool.Matches;
import dev.moat.tool.MaxLength;
import dev.moat.tool.MoatTool;
import dev.moat.tool.OneOf;
import dev.moat.tool.PathUnder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The assistant's tools: Spring AI {@code @Tool} methods with Moat's framework-neutral argument
 * rules on their parameters (the same annotations the LangChain4j sample uses). The starter's
 * decorated ToolCallingManager guards each as {@code tool://<name>} and checks the rules on the
 * exact signed arguments; what the assistant may call at all is the capability moat.yaml grants.
 */
public final class AssistantTools {
    private final Mailbox mailbox;
    private final Bank bank;
    private final Path home;

    public AssistantTools(Mailbox mailbox, Bank bank, Path home) {
        this.mailbox = mailbox;
        this.bank = bank;
        this.home = home;
    }

    @Tool(name = "read_inbox", description = "Lists the emails in the user's inbox with sender, subject and body")
    public String readInbox() {
        return mailbox.inbox().stream()
                .map(e -> "#" + e.id() + " From: " + e.from() + "\nSubject: " + e.subject() + "\n" + e.body())
                .collect(Collectors.joining("\n---\n"));
    }

    @Tool(name = "send_email", description = "Sends an email from the user's account (colleagues at acme.test only)")
    public String sendEmail(@Matches("[A-Za-z0-9._%+-]+@acme\\.test") String to, @MaxLength(200) String subject,
                            @MaxLength(4000) String body) {
        mailbox.send(to, subject, body);
        return "sent to " + to;
    }

    @Tool(name = "transfer_money", description = "Transfers money from the user's account to a saved payee")
    @MoatTool(approval = true)
    public String transferMoney(@ToolParam(description = "IBAN of a saved payee")
                                @OneOf({"DE02120300000000202051", "DE89370400440532013000"}) String iban,
                                @ToolParam(description = "amount in euro cents") long amountCents,
                                @ToolParam(description = "payment reference") @MaxLength(140) String reference) {
        Bank.Transfer t = bank.transfer(iban, amountCents, reference);
        return String.format("transferred EUR %d.%02d to %s (%s), reference %s",
                amountCents / 100, amountCents % 100, t.payee(), iban, reference);
    }

    @Tool(name = "read_file", description = "Reads a text file from the user's documents folder")
    public String readFile(@ToolParam(description = "path relative to the documents folder") @PathUnder("documents") String path)
            throws IOException {
        return Files.readString(home.resolve("documents").resolve(path), StandardCharsets.UTF_8);
    }

    @Tool(name = "delete_email", description = "Deletes an email from the inbox")
    public String deleteEmail(int id) {
        return mailbox.delete(id) ? "deleted #" + id : "no email #" + id;
    }

    @Tool(name = "summarize_text", description = "Summarises a text in a few lines")
    public String summarizeText(@MaxLength(20000) String text) {
        return text.lines()
                .filter(l -> l.startsWith("Subject:"))
                .map(l -> "- " + l.substring("Subject:".length()).trim())
                .collect(Collectors.joining("\n"));
    }
}
