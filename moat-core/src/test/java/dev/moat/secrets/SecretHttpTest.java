package dev.moat.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecretHttpTest {
    private LoopbackServer server;
    private SecretFixtures f;
    private SecretHttp http;

    @BeforeEach
    void start() throws Exception {
        server = new LoopbackServer();
        f = new SecretFixtures("127.0.0.1");
        http = SecretHttp.create(f.proxy);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest.Builder echo() {
        return HttpRequest.newBuilder(server.uri("127.0.0.1", "/echo")).GET();
    }

    @Test
    void templatePlaceholderIsInjectedAndTheEchoIsRedacted() {
        SecretHandle h = f.issue(f.a, SecretFixtures.CRM);
        HttpRequest template = echo().header("Authorization", "Bearer {{" + h.value() + "}}").build();
        RedactedResponse r = http.send(f.a, template).orThrow();

        assertThat(server.received).singleElement()
                .satisfies(headers -> assertThat(headers.get("Authorization")).containsExactly("Bearer " + SecretFixtures.CRM_VALUE));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(SecretFixtures.CRM_VALUE).contains("Bearer " + Redactor.MASK);
        assertThat(r.headers().get("x-echo-authorization")).containsExactly("Bearer " + Redactor.MASK);
        assertThat(f.events).singleElement().satisfies(e -> {
            assertThat(e.granted()).isTrue();
            assertThat(e.use().kind()).isEqualTo(SecretUse.Kind.HTTP_HEADER);
            assertThat(e.use().target()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void headerToHandleMapIsInjected() {
        SecretHandle h = f.issue(f.a, SecretFixtures.CRM);
        HttpRequest template = echo().header("X-Api-Key", "model-wrote-this").build();
        RedactedResponse r = http.send(f.a, template, Map.of("X-Api-Key", h)).orThrow();
        assertThat(server.received.get(0).get("X-Api-Key")).containsExactly(SecretFixtures.CRM_VALUE);
        assertThat(r.body()).doesNotContain(SecretFixtures.CRM_VALUE);
    }

    @Test
    void otherAgentsHandleSendsNothing() {
        SecretHandle h = f.issue(f.a, SecretFixtures.CRM);
        Checked<RedactedResponse> r = http.send(f.b, echo().header("Authorization", "Bearer {{" + h.value() + "}}").build());
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.NOT_SUBJECT);
        assertThat(server.received).isEmpty();
    }

    @Test
    void undeclaredHostSendsNothing() {
        SecretHandle h = f.issue(f.a, SecretFixtures.CRM);
        HttpRequest toLocalhost = HttpRequest.newBuilder(server.uri("localhost", "/echo"))
                .header("Authorization", "{{" + h.value() + "}}").build();
        assertThat(http.send(f.a, toLocalhost).failureOrNull().code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(server.received).isEmpty();
        assertThat(f.events).singleElement().satisfies(e -> assertThat(e.denial()).isEqualTo(SecretDenial.USE_NOT_ALLOWED));
    }

    @Test
    void plainHttpNeedsTheLoudOptIn() {
        SecretProxy strict = SecretProxy.builder().build();
        strict.declare(SecretDeclaration.builder(SecretFixtures.CRM, SecretSource.memory(SecretFixtures.CRM_VALUE.toCharArray()))
                .httpHost("127.0.0.1").build());
        strict.grant(f.a, SecretFixtures.CRM);
        SecretHandle h = strict.issue(f.a, SecretFixtures.CRM).orThrow();
        Checked<RedactedResponse> r = SecretHttp.create(strict).send(f.a, echo().header("Authorization", "{{" + h.value() + "}}").build());
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.NOT_GRANTED);
        assertThat(server.received).isEmpty();
    }

    @Test
    void revocationMidRunStopsTheNextRequest() {
        SecretHandle h = f.issue(f.a, SecretFixtures.CRM);
        HttpRequest template = echo().header("Authorization", "Bearer {{" + h.value() + "}}").build();
        assertThat(http.send(f.a, template).isOk()).isTrue();
        f.proxy.revoke(h);
        assertThat(http.send(f.a, template).failureOrNull().code()).isEqualTo(ReasonCode.REVOKED);
        assertThat(server.received).hasSize(1);
    }

    @Test
    void clientThatFollowsRedirectsIsRefused() {
        HttpClient follows = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> SecretHttp.create(f.proxy, follows, 1024)).isInstanceOf(MoatException.class);
    }

    @Test
    void oversizedResponseIsRefusedNotTruncated() {
        SecretHttp small = SecretHttp.create(f.proxy,
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), 1024);
        Checked<RedactedResponse> r = small.send(f.a, HttpRequest.newBuilder(server.uri("127.0.0.1", "/big")).build());
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.OVERSIZED);
    }

    @Test
    void requestWithoutPlaceholdersStillComesBackRedacted() {
        // a tool that somehow got the value into a non-secret header gets it redacted on the way back
        HttpRequest template = echo().header("X-Note", "value " + SecretFixtures.CRM_VALUE).build();
        RedactedResponse r = http.send(f.a, template).orThrow();
        assertThat(r.body()).doesNotContain(SecretFixtures.CRM_VALUE);
        assertThat(f.events).isEmpty();
    }
}
