package dev.moat.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.Moat;
import dev.moat.RequestCapability;
import dev.moat.identity.AgentKeypair;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import dev.moat.tool.ToolPolicy;
import dev.moat.tool.ToolRules;
import dev.moat.tool.rule.ArgumentRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A per-request capability through moat-langchain4j's guarded executors: the request's tools (from
 * the policy's tool rules) and destination values narrow each call made inside
 * {@code Capabilities.during(request, ...)}; a tool outside the request is refused by the narrowed
 * token; after the request the tools' own rules apply again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestCapabilityToolsTest {
    static final class Assistant {
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Tool(name = "send_mail", value = "Sends a mail")
        public String sendMail(String to) {
            sent.add(to);
            return "sent to " + to;
        }

        @Tool(name = "read_file", value = "Reads a file")
        public String readFile(String path) {
            return "contents of " + path;
        }
    }

    private final AgentKeypair admin = AgentKeypair.generate("admin");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final Assistant tools = new Assistant();
    private Moat moat;
    private Map<String, ToolExecutor> executors;

    @BeforeEach
    void setUp() {
        TokenChain chain = TokenChain.issue(admin, Grant.to(assistant.id()).allow("tool://mail/send", "execute")
                .allow("tool://read_file", "execute").validFor(Duration.ofHours(8)).build());
        ToolRules rules = ToolRules.builder()
                .tool(ToolPolicy.forTool("send_mail").resource("tool://mail/send")
                        .constrain("to", ArgumentRule.oneOf("alice@example.com", "bob@example.com")).build())
                .tool(ToolPolicy.forTool("read_file").build()).build();
        moat = Moat.builder().agent(admin).agent(assistant).trustRoot("admin").capability("assistant", chain).toolRules(rules)
                .detailedDenials(true) // the test reads which rule refused
                .inMemoryStores(AgentKeypair.generate("moat-audit")).build();
        Map<ToolSpecification, ToolExecutor> map = MoatTools.builder(moat.guard(), "assistant").rules(moat.toolRules())
                .build().tools(tools);
        executors = new java.util.HashMap<>();
        map.forEach((spec, ex) -> executors.put(spec.name(), ex));
    }

    @AfterEach
    void tearDown() {
        moat.close();
    }

    private String run(String tool, String arguments) {
        return executors.get(tool).executeWithContext(ToolExecutionRequest.builder().id("1").name(tool).arguments(arguments).build(),
                InvocationContext.builder().chatMemoryId("m").build()).resultText();
    }

    @Test
    void theRequestsToolsAndDestinationsNarrowItsCalls() {
        RequestCapability replyToBob = moat.capabilities().forRequest("assistant", null).tools("send_mail")
                .argument("send_mail", "to", ArgumentRule.oneOf("bob@example.com")).build();

        String bob = moat.capabilities().during(replyToBob, () -> run("send_mail", "{\"to\":\"bob@example.com\"}"));
        String alice = moat.capabilities().during(replyToBob, () -> run("send_mail", "{\"to\":\"alice@example.com\"}"));
        String file = moat.capabilities().during(replyToBob, () -> run("read_file", "{\"path\":\"secrets.txt\"}"));
        String after = run("send_mail", "{\"to\":\"alice@example.com\"}");

        assertThat(bob).isEqualTo("sent to bob@example.com");
        assertThat(alice).contains("this request's rule").contains("argument_rejected");
        assertThat(file).contains("not_granted");
        assertThat(after).isEqualTo("sent to alice@example.com");
        assertThat(tools.sent).containsExactly("bob@example.com", "alice@example.com");
    }
}
