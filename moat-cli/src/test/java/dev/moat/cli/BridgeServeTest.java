package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code moat bridge serve --policy moat.yaml} starts the sidecar; a decision goes through it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeServeTest {
    @TempDir
    Path dir;

    @Test
    void servesTheGuardOfAPolicyUntilStopped() throws Exception {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "owner").exit()).isZero();
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "researcher").exit()).isZero();
        Files.writeString(dir.resolve("moat.yaml"), """
                version: 1
                id: bridge-cli
                home: .moat
                agents:
                  - {name: owner, key: .moat/keys/owner.key}
                  - {name: researcher, key: .moat/keys/researcher.key}
                trusted_roots: [owner]
                grants:
                  - {issuer: owner, subject: researcher, allow: [{resource: "tool://echo", actions: [execute]}], valid_for: 1h}
                """);
        AtomicReference<CliRun> result = new AtomicReference<>();
        Thread serve = new Thread(() -> result.set(CliRun.in(dir, "bridge", "serve", "--policy", "moat.yaml",
                "--path-argument", "read_file=path")));
        serve.start();
        Path secret = dir.resolve(".moat/bridge.json");
        for (int i = 0; i < 200 && !Files.exists(secret); i++) {
            Thread.sleep(50);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        String text = Files.readString(secret);
        Matcher url = Pattern.compile("\"url\":\"([^\"]+)\"").matcher(text);
        Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(text);
        assertThat(url.find() && token.find()).isTrue();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> bound = http.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v1/sessions"))
                .header("Authorization", "Bearer " + token.group(1)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent\":\"researcher\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bound.statusCode()).isEqualTo(201);
        String session = bound.body().replaceAll(".*\"session\":\"([^\"]+)\".*", "$1");
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v1/decisions"))
                .header("Authorization", "Bearer " + token.group(1)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"" + session + "\",\"tool\":\"read_file\",\"arguments\":{\"path\":\"x\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.body()).contains("\"allowed\":false").contains("\"resource\":\"tool://read_file/x\"");
        serve.interrupt();
        serve.join(20_000);
        assertThat(result.get().out()).contains("moat bridge listening on http://127.0.0.1:");
        assertThat(secret).doesNotExist();
    }

    @Test
    void aMissingPolicyIsAnIoError() {
        CliRun r = CliRun.in(dir, "bridge", "serve", "--policy", "nope.yaml");
        assertThat(r.exit()).isEqualTo(ExitCodes.IO);
    }
}
