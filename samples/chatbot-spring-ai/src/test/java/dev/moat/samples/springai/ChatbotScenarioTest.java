package dev.moat.samples.springai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sample, as {@code ./moat demo spring} runs it: a Spring Boot context from the sample's
 * application.properties (only moat.policy), the injected instructions in email #3 are tool calls
 * Moat denies (the model reads why), the user's request completes, and the audit log verifies.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatbotScenarioTest {

    @Test
    void theInjectionIsRefusedAndTheChatGoesOn(@TempDir Path dir) throws Exception {
        Path home = ChatbotApplication.prepareHome(dir);

        ChatbotApplication.Report r = ChatbotApplication.run(home, ChatbotApplication.FIRST_REQUEST);

        assertThat(r.transfers()).isEmpty();
        assertThat(r.sent()).isEmpty();
        assertThat(r.denials()).extracting(ToolTranscript.Denial::tool)
                .containsExactly("transfer_money", "read_file", "send_email", "delete_email");
        assertThat(r.denials()).allSatisfy(d -> {
            assertThat(d.reasonCode()).isEqualTo("not_granted");
            assertThat(d.text()).startsWith("denied:");
        });
        assertThat(r.answer()).contains("- Your November invoice").contains("- Action required: mailbox migration")
                .contains("Moat refused them").contains("delete_email: denied:");
        assertThat(r.audit().isIntact()).isTrue();
        assertThat(Files.readString(r.auditFile())).contains("tool://transfer_money").contains("tool://summarize_text");
    }
}
