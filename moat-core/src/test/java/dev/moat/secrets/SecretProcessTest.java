package dev.moat.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@EnabledOnOs({OS.LINUX, OS.MAC})
class SecretProcessTest {
    private final SecretFixtures f = new SecretFixtures("127.0.0.1");
    private final SecretProcess launcher = new SecretProcess(f.proxy);

    private static String run(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void valueReachesTheChildAndItsEchoIsRedacted() throws Exception {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "printf 'token=%s' \"$API_TOKEN\"");
        Process p = launcher.start(f.a, pb, Map.of("API_TOKEN", h)).orThrow();
        String out = run(p);
        assertThat(out).isEqualTo("token=" + SecretFixtures.SHELL_VALUE);
        assertThat(f.proxy.redactor().redact(out)).isEqualTo("token=" + Redactor.MASK);
        assertThat(pb.environment()).doesNotContainKey("API_TOKEN");
    }

    @Test
    void builderEnvironmentIsRestored() throws Exception {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "true");
        pb.environment().put("API_TOKEN", "placeholder");
        run(launcher.start(f.a, pb, Map.of("API_TOKEN", h)).orThrow());
        assertThat(pb.environment()).containsEntry("API_TOKEN", "placeholder");
    }

    @Test
    void otherAgentsHandleStartsNothing() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        Checked<Process> r = launcher.start(f.b, new ProcessBuilder("/bin/sh", "-c", "true"), Map.of("API_TOKEN", h));
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.NOT_SUBJECT);
    }

    @Test
    void secretNotDeclaredForProcessesIsRefused() {
        SecretHandle h = f.issue(f.a, SecretFixtures.DB);
        Checked<Process> r = launcher.start(f.a, new ProcessBuilder("/bin/sh", "-c", "true"), Map.of("DB", h));
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.NOT_GRANTED);
    }

    @Test
    void revokedAgentStartsNothing() {
        SecretHandle h = f.issue(f.a, SecretFixtures.SHELL);
        f.proxy.revokeAgent(f.a);
        Checked<Process> r = launcher.start(f.a, new ProcessBuilder("/bin/sh", "-c", "true"), Map.of("API_TOKEN", h));
        assertThat(r.failureOrNull().code()).isEqualTo(ReasonCode.REVOKED);
    }
}
