package dev.moat.langchain4j;

import dev.moat.tool.MoatTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.langchain4j.internal.Results;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.secrets.RedactedResponse;
import dev.moat.secrets.SecretAudit;
import dev.moat.secrets.SecretDeclaration;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.secrets.SecretSource;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @MoatTool(secrets = ...)}: handles per call, values only at the point of use, results redacted. */
@Timeout(60)
class ToolSecretsTest {
    private static final String VALUE = "Bearer sk-test-51HxQ2eZvKYlo2C";
    static final AtomicInteger BODY_RUNS = new AtomicInteger();
    static volatile int port;

    /** A tool that calls an API with a secret it never sees, and (carelessly) returns what the server echoed. */
    public static class ApiTools {
        @Tool(name = "whoami", value = "Asks the billing API who we are")
        @MoatTool(secrets = "billing-token")
        public String whoami(String account) throws Exception {
            BODY_RUNS.incrementAndGet();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me")).GET().build();
            RedactedResponse r = ToolSecrets.current().http(req, Map.of("Authorization", "billing-token")).orThrow();
            return "server said: " + r.body() + " / handle " + ToolSecrets.current().handle("billing-token");
        }

        @Tool(name = "leak", value = "Returns the raw value it got from the server side channel")
        @MoatTool(secrets = "billing-token")
        public String leak(String x) {
            return "the value is " + VALUE; // as if a tool obtained it some other way
        }
    }

    /** Declares a secret nobody declared in the proxy. */
    public static class Undeclared {
        @Tool(name = "nope", value = "x")
        @MoatTool(secrets = "unknown-secret")
        public String nope(String x) {
            return x;
        }
    }

    private HttpServer server;
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private final AgentKeypair owner = AgentKeypair.generate("owner");
    private final AgentKeypair assistant = AgentKeypair.generate("assistant");
    private final AgentKeypair intern = AgentKeypair.generate("intern");
    private Moat moat;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ("token " + ex.getRequestHeaders().getFirst("Authorization")).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        port = server.getAddress().getPort();
        AuditLog audit = AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open();
        SecretProxy proxy = SecretProxy.builder().listener(SecretAudit.listener(audit)).build();
        proxy.declare(SecretDeclaration.builder(SecretName.of("billing-token"), SecretSource.memory(VALUE.toCharArray()))
                .httpHost("127.0.0.1").insecurePlainHttp().build());
        proxy.grant(assistant.id(), SecretName.of("billing-token"));
        TokenChain root = TokenChain.issue(owner, Grant.to(owner.id()).allow("tool://**", "execute").validFor(Duration.ofHours(1)).build());
        moat = Moat.builder().agent(owner).agent(assistant).agent(intern).trustRoot("owner")
                .capability("assistant", root.delegate(owner, Grant.to(assistant.id()).allow("tool://**", "execute").validFor(Duration.ofMinutes(30)).build()))
                .capability("intern", root.delegate(owner, Grant.to(intern.id()).allow("tool://**", "execute").validFor(Duration.ofMinutes(30)).build()))
                .sequenceStore(new InMemorySequenceStore()).auditLog(audit).secrets(proxy).build();
        BODY_RUNS.set(0);
    }

    @AfterEach
    void stop() {
        moat.close();
        server.stop(0);
    }

    private ToolExecutionResult call(String agent, String tool) {
        ToolExecutor ex = MoatTools.guarded(moat.guard(), agent, new ApiTools()).entrySet().stream()
                .filter(e -> e.getKey().name().equals(tool)).findFirst().orElseThrow().getValue();
        return ex.executeWithContext(ToolExecutionRequest.builder().id("1").name(tool).arguments("{\"account\":\"a\",\"x\":\"b\"}").build(),
                InvocationContext.builder().chatMemoryId("m").build());
    }

    @Test
    void theToolUsesTheSecretWithoutSeeingItAndTheModelNeverSeesIt() {
        ToolExecutionResult r = call("assistant", "whoami");
        assertThat(r.isError()).as(r.resultText()).isFalse();
        assertThat(r.resultText()).startsWith("server said: token ").contains("handle moat-secret:").doesNotContain("sk-test-51HxQ2eZvKYlo2C");
        assertThat(store.entries()).allSatisfy(e -> assertThat(e.toJsonLine()).doesNotContain("sk-test-51HxQ2eZvKYlo2C"));
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.SecretResolution.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((AuditEvent.SecretResolution) e).granted()).isTrue());
    }

    @Test
    void aValueEchoedInAToolResultIsRedactedBeforeTheModelSeesIt() {
        ToolExecutionResult r = call("assistant", "leak");
        assertThat(r.resultText()).startsWith("the value is ").doesNotContain("sk-test-51HxQ2eZvKYlo2C");
    }

    @Test
    void anAgentWithoutTheGrantIsDeniedAndTheToolNeverRuns() {
        ToolExecutionResult r = call("intern", "whoami");
        assertThat(r.isError()).isTrue();
        assertThat(r.attributes()).containsEntry(Results.REASON_CODE, "not_granted").containsEntry(Results.STAGE, "guard");
        assertThat(BODY_RUNS.get()).isZero();
    }

    @Test
    void undeclaredSecretsAreRefusedWhenTheToolsAreBuilt() {
        assertThatThrownBy(() -> MoatTools.guarded(moat.guard(), "assistant", new Undeclared())).isInstanceOf(MoatException.class);
    }
}
