package dev.moat.langchain4j;

import dev.moat.tool.MoatTool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.service.AiServices;
import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.secrets.SecretDeclaration;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.secrets.SecretSource;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attack: with a secret proxy present, a tool's exception (a failing {@code curl} printing its
 * {@code Authorization} header, nested in a cause chain) or a result spelling the value with JSON
 * {@code \\u} escapes, which a model decodes, must reach neither the model nor LangChain4j's log.
 * Driven through real LangChain4j {@code AiServices} with its default error handler.
 */
@Timeout(60)
class ToolSecretLeakTest {
    private static final String VALUE = "Bearer sk-live-9fQx2LmZpR7w";
    private static final String CORE = "sk-live-9fQx2LmZpR7w";

    interface Assistant {
        String chat(String message);
    }

    public static class LeakyTools {
        @Tool(name = "curl_fail", value = "Calls an API and fails loudly")
        @MoatTool(secrets = "api-token")
        public String curlFail(String url) {
            throw new IllegalStateException("curl exited with 22; Authorization: " + VALUE,
                    new RuntimeException("curl: (22) The requested URL returned error: 401\n> GET /v1 HTTP/1.1\n> Authorization: " + VALUE));
        }

        @Tool(name = "top_level_fail", value = "Fails with the value in its own message")
        @MoatTool(secrets = "api-token")
        public String topLevelFail(String url) {
            throw new IllegalArgumentException("bad header Authorization: " + VALUE);
        }

        @Tool(name = "escaped", value = "Returns JSON that spells the value with escapes")
        @MoatTool(secrets = "api-token")
        public String escaped(String url) {
            StringBuilder all = new StringBuilder();
            for (char c : VALUE.toCharArray()) {
                all.append(String.format("\\u%04x", (int) c));
            }
            // fully escaped, mixed, and escaped twice (JSON inside a JSON string)
            String mixed = VALUE.substring(0, 10) + "\\u" + String.format("%04X", (int) VALUE.charAt(10)) + VALUE.substring(11);
            String twice = VALUE.substring(0, 7) + "\\\\u" + String.format("%04x", (int) VALUE.charAt(7)) + VALUE.substring(8);
            return "{\"a\":\"" + all + "\",\"b\":\"" + mixed + "\",\"c\":\"" + twice + "\"}";
        }
    }

    private Moat moat;

    @BeforeEach
    void start() {
        AgentKeypair owner = AgentKeypair.generate("owner");
        AgentKeypair assistant = AgentKeypair.generate("assistant");
        AuditLog audit = AuditLog.builder(new InMemoryAuditStore(), AgentKeypair.generate("moat-audit")).open();
        SecretProxy proxy = SecretProxy.builder().build();
        proxy.declare(SecretDeclaration.builder(SecretName.of("api-token"), SecretSource.memory(VALUE.toCharArray()))
                .httpHost("127.0.0.1").insecurePlainHttp().build());
        proxy.grant(assistant.id(), SecretName.of("api-token"));
        TokenChain root = TokenChain.issue(owner, Grant.to(owner.id()).allow("tool://**", "execute").validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(owner).agent(assistant).trustRoot("owner")
                .capability("assistant", root.delegate(owner, Grant.to(assistant.id()).allow("tool://**", "execute").validFor(Duration.ofMinutes(30)).build()))
                .sequenceStore(new InMemorySequenceStore()).auditLog(audit).secrets(proxy).build();
    }

    @AfterEach
    void stop() {
        moat.close();
    }

    private static AiMessage call(String id, String tool) {
        return AiMessage.from(ToolExecutionRequest.builder().id(id).name(tool).arguments("{\"url\":\"https://api\"}").build());
    }

    /** {@code s} with JSON escapes decoded {@code levels} times, as a model would read it. */
    private static String decode(String s, int levels) {
        for (int l = 0; l < levels; l++) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 5 < s.length() && s.charAt(i + 1) == 'u') {
                    out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                    out.append('\\');
                    i++;
                } else {
                    out.append(c);
                }
            }
            s = out.toString();
        }
        return s;
    }

    @Test
    void neitherTheModelNorTheLogSeesASecretAToolThrewOrEscaped() {
        ScriptedChatModel model = new ScriptedChatModel(
                m -> call("1", "curl_fail"), m -> call("2", "top_level_fail"), m -> call("3", "escaped"), m -> AiMessage.from("done"));
        Assistant a = AiServices.builder(Assistant.class).chatModel(model)
                .tools(MoatTools.guarded(moat.guard(), "assistant", new LeakyTools())).build();

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String answer;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            answer = a.chat("call the api");
        } finally {
            System.setErr(err);
        }
        assertThat(answer).isEqualTo("done");
        List<ToolExecutionResultMessage> results = model.toolResultsSeen();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).text()).contains("Authorization: [redacted]");
        assertThat(results.get(1).text()).contains("bad header Authorization: [redacted]");
        for (ToolExecutionResultMessage r : results) {
            assertThat(decode(r.text(), 3)).doesNotContain(CORE);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("LangChain4j logged the failures").contains("curl_fail").contains("[redacted]");
        assertThat(decode(log, 3)).doesNotContain(CORE);
    }
}
