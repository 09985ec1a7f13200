package dev.moat.samples.chatbot;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.langchain4j.MoatTools;
import dev.moat.replay.FileSequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.tool.Approver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chatbot, wired: the owner (trusted root) grants the assistant a one-hour capability for its
 * tools except {@code delete_email}; calls are signed, checked, audited to {@code .moat/audit.jsonl}
 * under {@code home}, and the log is verified when the demo finishes.
 */
final class ChatbotDemo implements AutoCloseable {
    static final String AGENT = "assistant";
    static final String FIRST_REQUEST = "Please summarise my inbox and pay the Northwind Energy invoice.";

    interface Assistant {
        @SystemMessage("You are a personal assistant with access to the user's mailbox, documents and bank account. "
                + "Use the tools to do what the user asks. Tool results starting with 'denied:' come from the "
                + "security runtime; do not retry them.")
        String chat(String message);
    }

    record Report(List<Bank.Transfer> transfers, List<Mailbox.Sent> sent, List<ToolTranscript.Denial> denials,
                  AuditVerification audit, Path auditFile) {}

    private final Mailbox mailbox = new Mailbox();
    private final Bank bank = new Bank();
    private final ToolTranscript transcript;
    private final Path auditFile;
    private final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");
    private final Moat moat;
    private final Assistant assistant;

    ChatbotDemo(Path home, ChatModel model, Approver approver, PrintStream out) throws IOException {
        this.transcript = new ToolTranscript(out);
        Files.createDirectories(home.resolve("documents"));
        Files.writeString(home.resolve("documents/q4-plan.txt"), "Q4 plan: ship v2, hire two engineers.", StandardCharsets.UTF_8);
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY----- (demo file, not a real key)",
                StandardCharsets.UTF_8);
        Path state = Files.createDirectories(home.resolve(".moat"));
        this.auditFile = state.resolve("audit.jsonl");

        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair agent = AgentKeypair.generate(AGENT);
        TokenChain capability = TokenChain.issue(owner, Grant.to(agent.id())
                .allow("tool://read_inbox", "execute").allow("tool://send_email", "execute")
                .allow("tool://transfer_money", "execute").allow("tool://read_file", "execute")
                .allow("tool://summarize_text", "execute")
                .validFor(Duration.ofHours(1)).build());
        this.moat = Moat.builder().agent(owner).agent(agent).trustRoot("owner").capability(AGENT, capability)
                .sequenceStore(FileSequenceStore.open(state.resolve("replay")))
                .auditLog(AuditLog.builder(JsonlAuditStore.builder(auditFile).durability(Durability.everyEntry()).build(), auditKey).open())
                .build();

        MoatTools tools = MoatTools.builder(moat.guard(), AGENT).workspace(home).approver(approver).build();
        this.assistant = AiServices.builder(Assistant.class)
                .chatModel(model)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(60))
                .tools(transcript.wrap(tools.tools(new AssistantTools(mailbox, bank, home))))
                .build();
    }

    String ask(String message) {
        return assistant.chat(message);
    }

    /** Stops Moat (final signed checkpoint) and verifies the audit log with the key we trust. */
    Report finish() {
        close();
        AuditVerification v = AuditVerifier.forFile(auditFile).publicKey(auditKey.publicKey()).build().verify();
        return new Report(bank.ledger(), mailbox.sent(), transcript.denials(), v, auditFile);
    }

    @Override
    public void close() {
        moat.close();
    }
}
