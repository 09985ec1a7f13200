package dev.moat.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.Checked;
import dev.moat.check.CheckFailedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a whole scenario (declare, issue, HTTP and process injection, every kind of denial,
 * revocation, misconfiguration) while capturing all log output (slf4j-simple writes to
 * System.err), System.out, every resolution event, every failure and exception, and the
 * {@code toString()} of every object involved; then checks that no secret value, nor its base64
 * or URL-encoded form, appears anywhere.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretLeakTest {

    @Test
    void noSecretValueEscapesARun(@TempDir Path dir) throws Exception {
        String fileValue = "file-secret-Zq81!x";
        Path secretFile = dir.resolve("file-secret");
        Files.writeString(secretFile, fileValue + "\n");

        List<String> corpus = new ArrayList<>();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        System.setErr(capture);
        System.setOut(capture);
        try (LoopbackServer server = new LoopbackServer()) {
            SecretFixtures f = new SecretFixtures("127.0.0.1");
            SecretName fileName = SecretName.of("file-secret");
            f.proxy.declare(SecretDeclaration.builder(fileName, SecretSource.file(secretFile)).processEnv().build());
            f.proxy.grant(f.a, fileName);
            SecretHttp http = SecretHttp.create(f.proxy);
            SecretProcess launcher = new SecretProcess(f.proxy);

            SecretHandle crm = f.issue(f.a, SecretFixtures.CRM);
            SecretHandle shell = f.issue(f.a, SecretFixtures.SHELL);
            SecretHandle file = f.issue(f.a, fileName);
            SecretHandle db = f.issue(f.a, SecretFixtures.DB);
            HttpRequest ok = HttpRequest.newBuilder(server.uri("127.0.0.1", "/echo"))
                    .header("Authorization", "Bearer {{" + crm.value() + "}}").build();

            List<Checked<?>> outcomes = new ArrayList<>();
            outcomes.add(http.send(f.a, ok));
            outcomes.add(http.send(f.b, ok));
            outcomes.add(http.send(f.a, HttpRequest.newBuilder(server.uri("localhost", "/echo"))
                    .header("Authorization", "{{" + crm.value() + "}}").build()));
            outcomes.add(http.send(f.a, HttpRequest.newBuilder(server.uri("127.0.0.1", "/echo")).build(),
                    Map.of("X-Db", db)));
            outcomes.add(http.send(f.a, HttpRequest.newBuilder(server.uri("127.0.0.1", "/echo"))
                    .header("X-Raw", "{{moat-secret:" + SecretFixtures.DB_VALUE.replace("\"", "") + "}}").build()));
            Checked<Process> proc = launcher.start(f.a,
                    new ProcessBuilder("/bin/sh", "-c", "printf '%s %s' \"$T\" \"$F\""), Map.of("T", shell, "F", file));
            outcomes.add(proc);
            String childOutput = new String(proc.orThrow().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            proc.orThrow().waitFor(20, TimeUnit.SECONDS);
            assertThat(childOutput).contains(SecretFixtures.SHELL_VALUE); // the child did get it
            corpus.add(f.proxy.redactor().redact(childOutput));
            outcomes.add(launcher.start(f.b, new ProcessBuilder("/bin/sh", "-c", "true"), Map.of("T", shell)));
            f.proxy.revoke(crm);
            outcomes.add(http.send(f.a, ok));
            f.proxy.revokeSecret(SecretFixtures.SHELL);
            outcomes.add(launcher.start(f.a, new ProcessBuilder("/bin/sh", "-c", "true"), Map.of("T", shell)));
            f.proxy.revokeAgent(f.a);
            outcomes.add(f.proxy.issue(f.a, fileName));
            outcomes.add(f.proxy.resolve(f.a, "moat-secret:" + fileValue, SecretUse.processEnv("X")));
            outcomes.add(f.proxy.resolve(f.a, fileValue, SecretUse.processEnv("X")));

            for (Checked<?> c : outcomes) {
                corpus.add(String.valueOf(c));
                if (!c.isOk()) {
                    corpus.add(c.failureOrNull().toString());
                    try {
                        c.orThrow();
                    } catch (CheckFailedException e) {
                        corpus.add(stackTrace(e));
                    }
                }
            }
            // misconfiguration: exception messages and stack traces
            for (Runnable bad : List.<Runnable>of(
                    () -> f.proxy.declare(SecretDeclaration.builder(fileName, SecretSource.memory(fileValue.toCharArray())).build()),
                    () -> f.proxy.declare(SecretDeclaration.builder(SecretName.of("x1"), SecretSource.env("UNSET_VAR")).build()),
                    () -> f.proxy.declare(SecretDeclaration.builder(SecretName.of("x2"), SecretSource.file(dir.resolve("none"))).build()),
                    () -> f.proxy.declare(SecretDeclaration.builder(SecretName.of("x3"), SecretSource.memory("ab".toCharArray())).build()),
                    () -> new SecretValue(fileValue.toCharArray()).destroy())) {
                try {
                    bad.run();
                } catch (RuntimeException e) {
                    corpus.add(stackTrace(e));
                }
            }
            SecretValue v = new SecretValue(fileValue.toCharArray());
            for (Object o : List.of(f.proxy, http, launcher, crm, v, f.proxy.redactor(),
                    SecretSource.memory(fileValue.toCharArray()), SecretSource.env("CRM_KEY"), SecretSource.file(secretFile),
                    SecretDeclaration.builder(fileName, SecretSource.memory(fileValue.toCharArray())).build(),
                    new Lease(fileName, v))) {
                corpus.add(o.toString());
            }
            for (SecretResolutionEvent e : f.events) {
                corpus.add(e.toString());
            }
            assertThat(f.events).hasSizeGreaterThanOrEqualTo(10);
            assertThat(f.events).anyMatch(SecretResolutionEvent::granted).anyMatch(e -> !e.granted());
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        // the capture really holds the proxy's log lines (denials are logged at WARN)
        assertThat(logs).contains(SecretProxy.class.getName());
        corpus.add(logs);

        String all = String.join("\n", corpus);
        for (String value : List.of(SecretFixtures.CRM_VALUE, SecretFixtures.DB_VALUE, SecretFixtures.SHELL_VALUE, fileValue)) {
            for (String form : forms(value)) {
                assertThat(all).as("a form of a secret value leaked").doesNotContain(form);
            }
        }
    }

    private static List<String> forms(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return List.of(value,
                Base64.getEncoder().withoutPadding().encodeToString(b),
                Base64.getUrlEncoder().withoutPadding().encodeToString(b),
                URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
