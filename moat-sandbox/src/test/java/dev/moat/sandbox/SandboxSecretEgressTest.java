package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.moat.Moat;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.SandboxStoppedException;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.secrets.SecretAudit;
import dev.moat.secrets.SecretDeclaration;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.secrets.SecretSource;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Secrets injected into a sandboxed tool's egress: never seen by the guest, never in its result. */
@Timeout(60)
class SandboxSecretEgressTest {
    private static final String VALUE = "Bearer sk-live-7f3a9c2e41d8";
    private static final SecretName API = SecretName.of("api-token");
    private static final SecretName ELSEWHERE = SecretName.of("other-token");

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();
    private int port;
    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair skill = AgentKeypair.generate("skill");
    private final InMemoryAuditStore store = new InMemoryAuditStore();
    private Moat moat;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> { // echoes the Authorization header it received
            hits.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = ("you sent " + auth).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
        AuditLog audit = AuditLog.builder(store, AgentKeypair.generate("moat-audit")).open();
        SecretProxy proxy = SecretProxy.builder().listener(SecretAudit.listener(audit)).build();
        proxy.declare(SecretDeclaration.builder(API, SecretSource.memory(VALUE.toCharArray()))
                .httpHost("127.0.0.1").insecurePlainHttp().build());
        proxy.declare(SecretDeclaration.builder(ELSEWHERE, SecretSource.memory("Bearer other".toCharArray()))
                .httpHost("api.example.com").build());
        proxy.grant(skill.id(), API);
        proxy.grant(skill.id(), ELSEWHERE);
        moat = Moat.builder().agent(root).agent(skill).trustRoot("root")
                .capability("skill", TokenChain.issue(root, Grant.to(skill.id()).allow("tool://fetch", "execute")
                        .limits(ResourceLimits.builder().allowHosts(List.of("127.0.0.1")).build())
                        .validFor(Duration.ofHours(1)).build()))
                .sequenceStore(new InMemorySequenceStore()).auditLog(audit).secrets(proxy).build();
    }

    @AfterEach
    void stop() {
        moat.close();
        server.stop(0);
    }

    private GuardedCall<byte[]> fetch(SecretName secret) {
        return moat.guard().call(ToolCall.builder("skill", "tool://fetch", "execute")
                .arguments(json("{\"method\":\"GET\",\"url\":\"http://127.0.0.1:" + port + "/v1/me\"}"))
                .sandbox(load("http_fetch")).egressSecret("Authorization", secret).build());
    }

    @Test
    void theSecretReachesTheServerButNeitherTheGuestsResultNorTheAuditLog() {
        GuardedCall<byte[]> r = fetch(API);
        assertThat(r).isInstanceOf(GuardedCall.Completed.class);
        String result = text(((GuardedCall.Completed<byte[]>) r).value());
        assertThat(hits).hasValue(1);
        assertThat(result).contains("you sent").doesNotContain("sk-live-7f3a9c2e41d8");
        assertThat(store.entries()).allSatisfy(e -> assertThat(e.toJsonLine()).doesNotContain("sk-live-7f3a9c2e41d8"));
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.SecretResolution.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((AuditEvent.SecretResolution) e).granted()).isTrue());
    }

    @Test
    void aSecretDeclaredForAnotherHostIsNeverSent() {
        GuardedCall<byte[]> r = fetch(ELSEWHERE);
        assertThat(r).isInstanceOf(GuardedCall.Failed.class);
        assertThat(((SandboxStoppedException) ((GuardedCall.Failed<byte[]>) r).error()).code()).isEqualTo(SandboxFailure.EXIT_NONZERO.code());
        assertThat(hits).hasValue(0);
        assertThat(store.entries()).extracting(e -> e.event()).filteredOn(AuditEvent.SecretResolution.class::isInstance)
                .singleElement().satisfies(e -> assertThat(((AuditEvent.SecretResolution) e).granted()).isFalse());
    }

    @Test
    void anAgentWithoutTheGrantIsDeniedBeforeTheToolRuns() {
        SecretName undeclared = SecretName.of("nobody-granted-this");
        moat.secrets().orElseThrow().declare(SecretDeclaration.builder(undeclared, SecretSource.memory("never-granted-value".toCharArray()))
                .httpHost("127.0.0.1").build());
        GuardedCall<byte[]> r = fetch(undeclared);
        assertThat(r).isInstanceOf(GuardedCall.Denied.class);
        assertThat(((GuardedCall.Denied<byte[]>) r).decision().code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(hits).hasValue(0);
        assertThat(store.entries()).extracting(e -> e.event()).noneMatch(AuditEvent.SandboxRun.class::isInstance);
    }
}
