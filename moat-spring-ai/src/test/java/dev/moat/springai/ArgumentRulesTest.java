package dev.moat.springai;

import static dev.moat.springai.ScriptedChatModel.call;
import static dev.moat.springai.ScriptedChatModel.calls;
import static dev.moat.springai.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.tool.Approver;
import dev.moat.tool.MaxLength;
import dev.moat.tool.MoatTool;
import dev.moat.tool.OneOf;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.tool.rule.ArgumentRule;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.ToolCallingAdvisor;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.annotation.Tool;

/**
 * Core's argument rules and approval on Spring AI tools: from Moat's annotations on a Spring AI
 * {@code @Tool} method, and from the policy's {@code tools:} section for provider tools. The rule
 * is judged on the signed bytes; a rejected call never runs and the model reads why.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ArgumentRulesTest {
    private final TestMoat moat = new TestMoat(g -> g.allow("tool://pay", "execute").allow("tool://remote/search", "execute"));

    @AfterEach
    void close() {
        moat.close();
    }

    /** A Spring AI tool with Moat's neutral annotations. */
    static final class Payments {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Tool(name = "pay", description = "Pays a saved payee")
        @MoatTool(approval = true)
        public String pay(@OneOf({"DE02120300000000202051"}) String iban, @MaxLength(20) String reference, long cents) {
            ran.add(iban + ":" + cents);
            return "paid " + cents;
        }
    }

    private ScriptedChatModel chat(ToolCallback[] tools, String name, String arguments) {
        ScriptedChatModel model = new ScriptedChatModel(m -> calls(call("c1", name, arguments)), m -> text("done"));
        ChatClient.builder(model).defaultAdvisors(ToolCallingAdvisor.builder()
                .toolCallingManager(DefaultToolCallingManager.builder().build()).build()).build()
                .prompt("go").toolCallbacks(tools).call().content();
        return model;
    }

    @Test
    void annotationsOnASpringAiToolMethodAreItsRules() {
        Payments payments = new Payments();
        ToolCallback[] tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").approver(r -> r.approve("alice"))
                .build().from(payments);

        ScriptedChatModel injected = chat(tools, "pay", "{\"iban\":\"GB33BUKB20201555555555\",\"reference\":\"fee\",\"cents\":490000}");
        ScriptedChatModel invoice = chat(tools, "pay", "{\"iban\":\"DE02120300000000202051\",\"reference\":\"INV-11\",\"cents\":8420}");

        // the model reads stage and code, never the allowed IBANs; the audit keeps the detail
        assertThat(injected.shownResults().get(0).responseData()).startsWith("denied:")
                .doesNotContain("DE02120300000000202051").endsWith("(guard/argument_rejected)");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("iban"));
        assertThat(invoice.shownResults().get(0).responseData()).contains("paid 8420");
        assertThat(payments.ran).containsExactly("DE02120300000000202051:8420");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).startsWith("approved by alice"));
    }

    @Test
    void approvalFromTheAnnotationNeedsAnApprover() {
        assertThatThrownBy(() -> MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build().from(new Payments()))
                .isInstanceOf(MoatException.class).hasMessageContaining("no Approver");
    }

    @Test
    void theToolsSectionGivesProviderToolsTheirRules() {
        ToolCallbackProviderTest.RemoteTool remote = new ToolCallbackProviderTest.RemoteTool("search");
        ToolRules rules = ToolRules.builder()
                .tool(ToolPolicy.forTool("remote/search").constrain("q", ArgumentRule.maxLength(5)).build()).build();
        MoatToolCallbacks tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").rules(rules).build();
        ToolCallback[] guarded = tools.provider("remote", ToolCallbackProvider.from(remote)).getToolCallbacks();

        assertThat(chat(guarded, "search", "{\"q\":\"far too long\"}").shownResults().get(0).responseData())
                .startsWith("denied:").endsWith("(guard/argument_rejected)");
        assertThat(chat(guarded, "search", "{\"q\":\"moat\"}").shownResults().get(0).responseData()).contains("remote result");
        assertThat(remote.inputs).containsExactly("{\"q\":\"moat\"}");
        assertThat(moat.decisions()).allSatisfy(d -> assertThat(d.resource()).isEqualTo("tool://remote/search"));
    }

    @Test
    void aToolAnnotatedAndConfiguredIsRefused() {
        ToolRules rules = ToolRules.builder().tool(ToolPolicy.forTool("pay").build()).build();
        assertThatThrownBy(() -> MoatToolCallbacks.builder(moat.moat.guard(), "assistant").rules(rules)
                .approver(r -> r.approve("x")).build().from(new Payments()))
                .isInstanceOf(MoatException.class).hasMessageContaining("one place");
    }
}
