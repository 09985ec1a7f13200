package dev.moat.springai;

import static dev.moat.springai.ScriptedChatModel.call;
import static dev.moat.springai.ScriptedChatModel.calls;
import static dev.moat.springai.ScriptedChatModel.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.RequestCapability;
import dev.moat.tool.OneOf;
import dev.moat.tool.ToolPolicy;
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
import org.springframework.ai.tool.annotation.Tool;

/**
 * A per-request capability through a real Spring AI {@code ChatClient}: inside
 * {@code Capabilities.during(request, ...)} the request's argument rule narrows the tool's own, so
 * a payee the tool allows but this request does not name is refused; outside it, the tool's rules
 * alone apply.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestCapabilityToolsTest {
    private static final String RENT = "DE02120300000000202051";
    private static final String SHOP = "DE89370400440532013000";

    private final TestMoat moat = new TestMoat(g -> g.allow("tool://pay", "execute").allow("tool://other", "execute"));

    @AfterEach
    void close() {
        moat.close();
    }

    static final class Payments {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Tool(name = "pay", description = "Pays a saved payee")
        public String pay(@OneOf({RENT, SHOP}) String iban, long cents) {
            ran.add(iban + ":" + cents);
            return "paid " + cents;
        }
    }

    private String chat(ToolCallback[] tools, String arguments) {
        ScriptedChatModel model = new ScriptedChatModel(m -> calls(call("c1", "pay", arguments)), m -> text("done"));
        ChatClient.builder(model).defaultAdvisors(ToolCallingAdvisor.builder()
                .toolCallingManager(DefaultToolCallingManager.builder().build()).build()).build()
                .prompt("go").toolCallbacks(tools).call().content();
        return (String) model.shownResults().get(0).responseData();
    }

    @Test
    void theRequestsRuleNarrowsTheToolsOwnInsideTheRequestOnly() {
        Payments payments = new Payments();
        ToolCallback[] tools = MoatToolCallbacks.builder(moat.moat.guard(), "assistant").build().from(payments);
        RequestCapability payRent = moat.moat.capabilities().forRequest("assistant", null)
                .tool(ToolPolicy.forTool("pay").build())
                .argument("pay", "iban", ArgumentRule.oneOf(RENT))
                .build();

        String rent = moat.moat.capabilities().during(payRent, () -> chat(tools, "{\"iban\":\"" + RENT + "\",\"cents\":90000}"));
        String shop = moat.moat.capabilities().during(payRent, () -> chat(tools, "{\"iban\":\"" + SHOP + "\",\"cents\":100}"));
        String outside = chat(tools, "{\"iban\":\"" + SHOP + "\",\"cents\":200}");

        assertThat(rent).contains("paid 90000");
        assertThat(shop).startsWith("denied:").endsWith("(guard/argument_rejected)");
        assertThat(moat.decisions()).anySatisfy(d -> assertThat(d.detail()).contains("this request's rule"));
        assertThat(outside).contains("paid 200");
        assertThat(payments.ran).containsExactly(RENT + ":90000", SHOP + ":200");
    }
}
