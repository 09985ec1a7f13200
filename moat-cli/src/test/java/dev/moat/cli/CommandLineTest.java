package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Usage, version, help, exit codes, colour and policy check. */
@Timeout(60)
class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void helpDocumentsTheExitCodes() {
        CliRun r = CliRun.in(dir, "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:", "0  ok", "1  denied or invalid", "2  usage", "3  I/O");
    }

    @Test
    void versionPrintsTheVersion() {
        CliRun r = CliRun.in(dir, "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("moat ").doesNotContain("unknown");
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        CliRun noCommand = CliRun.in(dir);
        assertThat(noCommand.exit()).isEqualTo(ExitCodes.USAGE);
        CliRun missing = CliRun.in(dir, "identity", "generate");
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().lines().count()).isEqualTo(1);
        assertThat(missing.err()).contains("--name");
        CliRun unknown = CliRun.in(dir, "token", "frobnicate", "--json");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.reason()).isEqualTo("usage");
        CliRun badDuration = CliRun.in(dir, "identity", "generate", "--name", "a");
        assertThat(badDuration.exit()).isZero();
        CliRun bad = CliRun.in(dir, "token", "create", "--issuer", "a", "--subject", "b", "--resource", "tool://x",
                "--actions", "read", "--expires-in", "forever");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        CliRun badName = CliRun.in(dir, "identity", "generate", "--name", "../evil");
        assertThat(badName.exit()).isEqualTo(ExitCodes.USAGE);
        CliRun badResource = CliRun.in(dir, "token", "create", "--issuer", "a", "--subject", "b", "--resource", "tool://x/../y",
                "--actions", "read");
        assertThat(badResource.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void stackTracesOnlyWithVerbose() throws Exception {
        assertThat(CliRun.in(dir, "init").exit()).isEqualTo(ExitCodes.OK);
        Files.writeString(dir.resolve(".moat/trusted_roots.json"), "not json");
        Files.writeString(dir.resolve("x.token"), "{}");
        CliRun quiet = CliRun.in(dir, "identity", "generate", "--name", "a", "--trust");
        assertThat(quiet.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(quiet.err().lines().count()).isEqualTo(1);
        CliRun verbose = CliRun.in(dir, "identity", "trust", "a", "--verbose");
        assertThat(verbose.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(verbose.err()).contains("at dev.moat.cli.");
    }

    @Test
    void colourFollowsTerminalAndNoColor() {
        assertThat(Terminal.colorEnabled(Terminal.ColorMode.auto, Map.of(), true)).isTrue();
        assertThat(Terminal.colorEnabled(Terminal.ColorMode.auto, Map.of(), false)).isFalse();
        assertThat(Terminal.colorEnabled(Terminal.ColorMode.auto, Map.of("NO_COLOR", "1"), true)).isFalse();
        assertThat(Terminal.colorEnabled(Terminal.ColorMode.always, Map.of("NO_COLOR", "1"), false)).isTrue();
        assertThat(Terminal.colorEnabled(Terminal.ColorMode.never, Map.of(), true)).isFalse();
        CliRun tty = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "1"), "identity", "generate", "--name", "a");
        assertThat(tty.out()).contains("\u001b[32m");
        CliRun noColor = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "1", "NO_COLOR", "1"), "identity", "generate", "--name", "b");
        assertThat(noColor.out()).doesNotContain("\u001b[");
        CliRun piped = CliRun.in(dir, Map.of("MOAT_STDOUT_TTY", "0"), "identity", "generate", "--name", "c");
        assertThat(piped.out()).doesNotContain("\u001b[");
    }

    @Test
    void policyCheckPrintsTheBindingHash() throws Exception {
        dev.moat.identity.KeyFiles.savePrivate(dev.moat.identity.AgentKeypair.generate("admin"), dir.resolve("keys/admin.key"));
        Files.writeString(dir.resolve("moat.yaml"), """
                version: 1
                id: support-bot
                agents:
                  - name: admin
                    key: keys/admin.key
                trusted_roots: [admin]
                router:
                  rate_limit: 50
                  rate_window: 1s
                """);
        CliRun r = CliRun.in(dir, "policy", "check", "moat.yaml", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("id").asText()).isEqualTo("support-bot");
        assertThat(r.json().path("sha256").asText()).hasSize(43);
        Files.writeString(dir.resolve("bad.yaml"), "version: 1\nid: x\nunknown_key: 1\n");
        CliRun bad = CliRun.in(dir, "policy", "check", "bad.yaml", "--json");
        assertThat(bad.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(bad.reason()).isEqualTo("invalid_policy");
        assertThat(CliRun.in(dir, "policy", "check", "none.yaml").exit()).isEqualTo(ExitCodes.IO);
    }
}
