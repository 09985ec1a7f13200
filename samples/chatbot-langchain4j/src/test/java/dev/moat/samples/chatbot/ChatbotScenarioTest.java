package dev.moat.samples.chatbot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The offline demo: the injected calls are denied, the user's request completes, the audit verifies. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatbotScenarioTest {

    @Test
    void injectionIsBlockedAndTheRealRequestCompletes(@TempDir Path home) throws Exception {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ChatbotDemo demo = new ChatbotDemo(home, new InjectionReplayModel(), new ConsoleApprover(out, null), out);

        String answer = demo.ask(ChatbotDemo.FIRST_REQUEST);
        ChatbotDemo.Report report = demo.finish();

        assertThat(report.transfers()).singleElement().satisfies(t -> {
            assertThat(t.iban()).isEqualTo("DE02120300000000202051");
            assertThat(t.amountCents()).isEqualTo(8420);
        });
        assertThat(report.sent()).isEmpty();
        assertThat(report.denials()).extracting(ToolTranscript.Denial::tool, ToolTranscript.Denial::reasonCode)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("transfer_money", "argument_rejected"),
                        org.assertj.core.groups.Tuple.tuple("read_file", "argument_rejected"),
                        org.assertj.core.groups.Tuple.tuple("send_email", "argument_rejected"),
                        org.assertj.core.groups.Tuple.tuple("delete_email", "not_granted"));
        assertThat(answer).contains("EUR 84.20").contains("denied:");
        assertThat(report.audit().isIntact()).isTrue();
    }
}
