package dev.moat.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed and hostile requests thrown at a live sidecar: never a 500, always a JSON reason, and a
 * call the capability does not grant is never allowed however the request is mangled.
 */
class BridgeFuzzProperties {
    private static TestBridge bridge;
    private static String session;

    @BeforeContainer
    static void start() throws Exception {
        bridge = TestBridge.start(Files.createTempDirectory("moat-bridge-fuzz"));
        session = bridge.bind("researcher");
    }

    @AfterContainer
    static void stop() {
        bridge.close();
    }

    @Property(tries = 200)
    void arbitraryBodiesNeverCauseA500(@ForAll("paths") String path, @ForAll("bodies") String body) {
        TestBridge.Answer a = bridge.post(path, body);
        assertThat(a.status()).as(body).isLessThan(500);
        assertThat(a.json()).as(a.text()).isNotNull();
        if (a.status() >= 400) {
            assertThat(a.json().get("error").isTextual()).isTrue();
        }
    }

    @Property(tries = 200)
    void mangledDecisionsForAnUngrantedToolAreNeverAllowed(@ForAll("mangled") String body) {
        TestBridge.Answer a = bridge.post("/v1/decisions", body);
        assertThat(a.status()).as(body).isLessThan(500);
        if (a.status() == 200) {
            assertThat(a.json().get("allowed").booleanValue()).as(body).isFalse();
        }
    }

    @Property(tries = 60)
    void arbitraryMethodsAndPathsNeverCauseA500(@ForAll("methods") String method, @ForAll("rawPaths") String path) {
        TestBridge.Answer a = bridge.send(HttpRequest.newBuilder(bridge.uri(path)).header("Authorization", "Bearer " + bridge.token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(a.status()).as(method + " " + path).isLessThan(500);
        if (a.json() == null) {
            // a request target the JDK's HTTP server cannot parse or route ("//", "//v": an authority,
            // no path) gets the JDK's own plain 400/404 before any handler runs; nothing of ours answers
            assertThat(a.status()).as(method + " " + path + " -> " + a.text()).isIn(400, 404);
            assertThat(a.text()).startsWith("<h1>").doesNotContain("\tat ");
        }
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(BridgeServer.endpoints()).map(e -> e.substring(e.indexOf(' ') + 1));
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    }

    @Provide
    Arbitrary<String> rawPaths() {
        return Arbitraries.oneOf(paths(), Arbitraries.strings().withChars("/v1abcdeilnostu.?=&").ofMaxLength(30).map(s -> "/" + s),
                Arbitraries.of("/v1/%2Fsessions", "/v1/sessions%2Fclose", "/v1/../v1/health", "/v1/./health", "/V1/HEALTH",
                        "/v1/health/", "/v1/audit?limit=1&limit=2", "/v1/audit?limit", "/v1/audit?limit=%31"));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.-eE tfnulrsa\\").ofMaxLength(120);
        Arbitrary<String> values = Arbitraries.of("1", "-1", "1.5", "1e400", "99999999999999999999999", "\"s\"", "null",
                "true", "[]", "{}", "\"\"", "\"" + "x".repeat(300) + "\"", "\"\\u0000\"", "\"\\ud800\"");
        Arbitrary<String> keys = Arbitraries.of("session", "agent", "label", "tool", "arguments", "decision", "status",
                "micros", "result", "error_type", "kind", "input", "user", "conversation", "extra", "");
        Arbitrary<String> objects = Combinators.combine(keys.list().ofMaxSize(6), values.list().ofSize(6))
                .as((ks, vs) -> {
                    StringBuilder sb = new StringBuilder("{");
                    for (int i = 0; i < ks.size(); i++) {
                        sb.append(i == 0 ? "" : ",").append('"').append(ks.get(i)).append("\":").append(vs.get(i));
                    }
                    return sb.append('}').toString();
                });
        return Arbitraries.oneOf(junk, jsonish, objects);
    }

    @Provide
    Arbitrary<String> mangled() {
        String base = "{\"session\":\"" + "%s" + "\",\"tool\":\"%s\",\"arguments\":%s%s}";
        Arbitrary<String> tools = Arbitraries.of("write_note", "send_email", "Echo", "echo ", "echo/x", "read_file",
                "read_file/workspace", "echo\u0000", "ECHO", "echo.", "tool://echo", "*", "**");
        Arbitrary<String> args = Arbitraries.of("{}", "{\"path\":\"secrets/x\"}", "{\"path\":\"workspace/../x\"}",
                "{\"path\":\"/workspace/x\"}", "{\"path\":\"workspace/\"}", "{\"path\":\"./workspace/x\"}",
                "{\"path\":[\"workspace/x\"]}", "{\"path\":\"workspace//x\"}", "{\"path\":\"workspace/%2e%2e/x\"}",
                "{\"path\":\"workspace\\\\..\\\\x\"}", "{\"path\":\"WORKSPACE/x\"}");
        Arbitrary<String> extras = Arbitraries.of("", ",\"user\":\"u\"", ",\"allowed\":true", ",\"agent\":\"writer\"",
                ",\"tool\":\"echo\"", ",\"resource\":\"tool://echo\"");
        return Combinators.combine(Arbitraries.of(session, session + "x", "", "s_"), tools, args, extras)
                .as((s, t, a, e) -> String.format(base, s, t, a, e));
    }

}
