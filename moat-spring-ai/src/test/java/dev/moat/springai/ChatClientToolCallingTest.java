package dev.moat.springai;

import static dev.moat.springai.ScriptedChatModel.call;
import static dev.moat.springai.ScriptedChatModel.calls;
import static dev.moat.springai.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.resolution.StaticToolCallbackResolver;

/**
 * Real Spring AI 2.0 ChatClient with its ToolCallingAdvisor and the real DefaultToolCallingManager,
 * decorated by Moat: per-request {@code .tools(...)} are guarded without the app wrapping them, an
 * injected call outside the capability is denied, the model reads the denial and the chat goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatClientToolCallingTest {
    private final TestMoat moat = new TestMoat(g -> g.allow("tool://read_inbox", "execute").allow("tool://whoami", "execute"));
    private final MailTools tools = new MailTools();

    @AfterEach
    void close() {
        moat.close();
    }

    private ChatClient client(ScriptedChatModel model, ToolCallingManager manager) {
        return ChatClient.builder(model)
                .defaultAdvisors(ToolCallingAdvisor.builder().toolCallingManager(manager).build())
                .build();
    }

    private MoatToolCallbacks guarded() {
        return MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build();
    }

    @Test
    void injectedCallIsDeniedTheModelReadsWhyAndTheChatContinues() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> calls(call("c1", "read_inbox", "{}")),
                m -> calls(call("c2", "delete_email", "{\"id\": 1}")),
                m -> text("Summary done; a request to delete email 1 was refused: "
                        + ScriptedChatModel.responses(m).get(1).responseData()));
        ToolCallingManager manager = guarded().manager(DefaultToolCallingManager.builder().build());

        String answer = client(model, manager).prompt("summarise my inbox").tools(tools).call().content();

        assertThat(tools.ran).containsExactly("read_inbox");
        List<ToolResponseMessage.ToolResponse> shown = model.shownResults();
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).responseData()).contains("From: boss@acme.test");
        assertThat(shown.get(1).name()).isEqualTo("delete_email");
        assertThat(shown.get(1).responseData()).startsWith("denied:").contains("(capability/not_granted)");
        assertThat(answer).contains("refused").contains("not_granted");
        assertThat(moat.decisions()).extracting(AuditEvent.Decision::resource, AuditEvent.Decision::allowed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tool://read_inbox", true),
                        org.assertj.core.groups.Tuple.tuple("tool://delete_email", false));
        assertThat(moat.outcomes()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(AuditEvent.ToolOutcome.Status.OK));
    }

    @Test
    void theToolRunsWithTheCanonicalArgumentsThatWereSigned() {
        TestMoat open = new TestMoat(g -> g.allow("tool://transfer", "execute"));
        try {
            ScriptedChatModel model = new ScriptedChatModel(
                    m -> calls(call("c1", "transfer", "{ \"iban\" : \"DE02\",\n \"cents\": 8420 }")),
                    m -> text("ok"));
            MoatToolCallbacks g = MoatToolCallbacks.builder(open.moat.guard(), "assistant").build();
            client(model, g.manager(DefaultToolCallingManager.builder().build())).prompt("pay").tools(tools).call().content();

            assertThat(tools.ran).containsExactly("transfer:8420:DE02");
            assertThat(model.shownResults().get(0).responseData()).contains("transferred 8420");
        } finally {
            open.close();
        }
    }

    @Test
    void toolsOnlyTheResolverKnowsAreGuardedToo() {
        ToolCallback[] plain = ToolCallbacks.from(tools);
        StaticToolCallbackResolver resolver = new StaticToolCallbackResolver(List.of(plain));
        ScriptedChatModel model = new ScriptedChatModel(
                m -> calls(call("c1", "read_inbox", "{}"), call("c2", "delete_email", "{\"id\":2}")),
                m -> text("done"));
        // the delegate would resolve delete_email by name, unguarded, if the decorator did not
        ToolCallingManager delegate = DefaultToolCallingManager.builder().toolCallbackResolver(resolver).build();

        client(model, guarded().manager(delegate, resolver)).prompt("go").call().content();

        assertThat(tools.ran).containsExactly("read_inbox");
        assertThat(model.shownResults().get(1).responseData()).startsWith("denied:").contains("not_granted");
    }

    @Test
    void aToolNobodyProvidesIsDeniedNotResolvedBehindMoatsBack() {
        ScriptedChatModel model = new ScriptedChatModel(m -> calls(call("c1", "format_disk", "{}")), m -> text("done"));

        String answer = client(model, guarded().manager(DefaultToolCallingManager.builder().build()))
                .prompt("go").call().content();

        assertThat(answer).isEqualTo("done");
        assertThat(model.shownResults().get(0).responseData()).startsWith("denied:").contains("not_granted");
        assertThat(moat.decisions()).singleElement().satisfies(d -> assertThat(d.resource()).isEqualTo("tool://format_disk"));
    }

    @Test
    void theUserComesFromTheToolContext() {
        ScriptedChatModel model = new ScriptedChatModel(m -> calls(call("c1", "whoami", "{}")), m -> text("done"));
        MoatToolCallbacks g = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").users(UserResolver.contextKey()).build();

        client(model, g.manager(DefaultToolCallingManager.builder().build()))
                .prompt("who am I").tools(tools).toolContext(Map.of(UserResolver.DEFAULT_KEY, "alice")).call().content();

        assertThat(model.shownResults().get(0).responseData()).contains("you are alice");
    }

    @Test
    void malformedArgumentsAreDeniedAndTheToolDoesNotRun() {
        TestMoat open = new TestMoat(g -> g.allow("tool://transfer", "execute"));
        try {
            ScriptedChatModel model = new ScriptedChatModel(
                    m -> calls(call("c1", "transfer", "{\"cents\":1,\"cents\":900000,\"iban\":\"X\"}")), m -> text("done"));
            MoatToolCallbacks g = MoatToolCallbacks.builder(open.moat.guard(), "assistant").build();
            client(model, g.manager(DefaultToolCallingManager.builder().build())).prompt("pay").tools(tools).call().content();

            assertThat(tools.ran).isEmpty();
            assertThat(model.shownResults().get(0).responseData()).startsWith("denied:")
                    .contains("(guard/argument_rejected)");
            assertThat(open.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("duplicate_key"));
        } finally {
            open.close();
        }
    }
}
