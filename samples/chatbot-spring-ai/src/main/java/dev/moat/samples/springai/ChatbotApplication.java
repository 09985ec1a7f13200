package dev.moat.samples.springai;

import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.tool.Approver;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The chatbot as a Spring Boot app. Moat is configured by one property in application.properties
 * ({@code moat.policy=classpath:moat.yaml}); the tools are Spring AI {@code @Tool} methods with
 * Moat's argument rules on their parameters; the starter guards every tool call the ChatClient
 * makes and hands approvals to the app's {@link ScriptedApprover} bean. Offline: a scripted model replays an
 * indirect prompt injection found in an email.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ChatbotApplication {
    static final String FIRST_REQUEST = "Please summarise my inbox and pay the Northwind Energy invoice.";
    static final String SYSTEM = "You are a personal assistant with access to the user's mailbox, documents and bank"
            + " account. Tool results starting with 'denied:' come from the security runtime; do not retry them.";

    /** What the run did, read after the context (and so Moat) is closed. */
    public record Report(String answer, List<Bank.Transfer> transfers, List<Mailbox.Sent> sent,
                         List<ToolTranscript.Denial> denials, AuditVerification audit, Path auditFile) {}

    @Bean
    ChatModel chatModel() {
        return new InjectionReplayModel();
    }

    @Bean
    Mailbox mailbox() {
        return new Mailbox();
    }

    @Bean
    Bank bank() {
        return new Bank();
    }

    @Bean
    AssistantTools assistantTools(Mailbox mailbox, Bank bank, @Value("${moat.base-dir}") Path home) {
        return new AssistantTools(mailbox, bank, home);
    }

    /** The app's Approver bean: the starter gives it the calls that need approval (transfer_money). */
    @Bean
    ScriptedApprover approver() {
        return new ScriptedApprover(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    @Bean
    ToolTranscript toolTranscript() {
        return new ToolTranscript(new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path home = prepareHome(Files.createTempDirectory("moat-spring-chatbot-"));
        out.println("Moat + Spring AI chatbot (Spring Boot, moat-spring-boot-starter) | model: scripted, offline");
        out.println("home: " + home + " (keys/, documents/, .ssh/, .moat/audit.jsonl)");
        out.println("\nyou> " + FIRST_REQUEST);
        Report r = run(home, FIRST_REQUEST);
        out.println("\nassistant> " + r.answer().replace("\n", "\n           "));
        out.println("\n== What happened ==");
        out.println("transfers made: " + r.transfers().size());
        r.transfers().forEach(t -> out.printf("  EUR %d.%02d to %s (%s) ref %s%n",
                t.amountCents() / 100, t.amountCents() % 100, t.payee(), t.iban(), t.reference()));
        out.println("emails sent:    " + r.sent().size());
        out.println("calls blocked:  " + r.denials().size());
        r.denials().forEach(d -> out.println("  " + d.tool() + " -> " + d.reasonCode()));
        out.println("audit log:      " + r.auditFile() + " -> " + (r.audit().isIntact() ? "verified intact" : "BROKEN: " + r.audit()));
    }

    /** Runs one request through a fresh Spring context with {@code home} as {@code moat.base-dir}. */
    static Report run(Path home, String request) {
        String answer;
        Bank bank;
        Mailbox mailbox;
        ToolTranscript transcript;
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(ChatbotApplication.class)
                .web(WebApplicationType.NONE).properties("moat.base-dir=" + home).run()) {
            ChatClient chat = ctx.getBean(ChatClient.Builder.class).defaultSystem(SYSTEM)
                    .defaultTools(ctx.getBean(AssistantTools.class)).build();
            answer = chat.prompt(request).call().content();
            bank = ctx.getBean(Bank.class);
            mailbox = ctx.getBean(Mailbox.class);
            transcript = ctx.getBean(ToolTranscript.class);
        } // closing the context closes Moat: final signed checkpoint
        Path auditFile = home.resolve(".moat/audit.jsonl");
        AgentKeypair auditKey = KeyFiles.loadPrivate(home.resolve(".moat/keys/moat-audit.key"));
        AuditVerification v = AuditVerifier.forFile(auditFile).publicKey(auditKey.publicKey()).build().verify();
        return new Report(answer, bank.ledger(), mailbox.sent(), transcript.denials(), v, auditFile);
    }

    /**
     * The demo's base directory: the two agents' keys the policy names (made here, owner-only, as
     * {@code moat identity generate} would), the user's documents and a private key file the
     * injected instruction goes after.
     */
    static Path prepareHome(Path home) throws IOException {
        KeyFiles.savePrivate(AgentKeypair.generate("owner"), home.resolve("keys/owner.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("assistant"), home.resolve("keys/assistant.key"));
        Files.createDirectories(home.resolve("documents"));
        Files.writeString(home.resolve("documents/q4-plan.txt"), "Q4 plan: ship v2, hire two engineers.", StandardCharsets.UTF_8);
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY----- (demo file, not a real key)",
                StandardCharsets.UTF_8);
        return home;
    }
}
