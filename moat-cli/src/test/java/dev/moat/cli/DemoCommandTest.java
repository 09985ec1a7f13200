package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoPassesAndItsAuditLogVerifies() {
        CliRun r = CliRun.in(dir, "demo", "--home", "demo", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("auditIntact").asBoolean()).isTrue();
        assertThat(j.path("steps").size()).isGreaterThan(8);
        java.util.Set<String> reasons = new java.util.TreeSet<>();
        j.path("steps").forEach(s -> {
            assertThat(s.path("asExpected").asBoolean()).as(s.toString()).isTrue();
            if (!s.path("allowed").asBoolean()) {
                reasons.add(s.path("reason").asText());
            }
        });
        assertThat(reasons).contains("not_granted", "broadened", "untrusted_root", "replay", "not_subject", "expired", "revoked");
        assertThat(Files.exists(dir.resolve("demo/audit.jsonl"))).isTrue();
        CliRun verify = CliRun.in(dir, "audit", "verify", "--path", "demo/audit.jsonl");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    @Test
    void textOutputIsColouredOnlyOnATerminal() {
        CliRun plain = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "0"), "demo");
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("ALLOW", "DENY", "audit log intact", "demo passed").doesNotContain("\u001b[");
        CliRun tty = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "1"), "demo");
        assertThat(tty.out()).contains("\u001b[32mALLOW");
        CliRun noColor = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "1", "NO_COLOR", "1"), "demo");
        assertThat(noColor.out()).doesNotContain("\u001b[");
    }

    @Test
    void moatHomeFromTheEnvironmentIsIgnoredAndAUsedFolderIsRefused() {
        CliRun r = CliRun.in(dir, Map.of("MOAT_HOME", "real-home"), "demo", "--json");
        assertThat(r.exit()).isZero();
        assertThat(Files.exists(dir.resolve("real-home"))).isFalse();
        assertThat(CliRun.in(dir, "demo", "--home", "d").exit()).isZero();
        assertThat(CliRun.in(dir, "demo", "--home", "d").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
