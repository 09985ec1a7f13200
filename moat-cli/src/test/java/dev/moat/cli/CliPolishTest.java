package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage errors a new user makes: a mistyped command or option is reported as unknown with a
 * "did you mean" (never as a missing required option), {@code token create} does not replace a
 * token file without {@code --force}, a {@code --home} that does not exist is an error unless
 * {@code --init}, and {@code moat demo chatbot --help} prints help without building anything.
 */
@Timeout(120)
class CliPolishTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedCommandIsUnknownWithASuggestion() {
        CliRun r = CliRun.in(dir, "identiy", "list");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown command 'identiy'", "did you mean 'identity'?");
        CliRun sub = CliRun.in(dir, "token", "crate");
        assertThat(sub.err()).contains("unknown command 'crate' for 'moat token'", "'create'");
    }

    @Test
    void aMistypedOptionIsUnknownNotAMissingRequiredOne() {
        CliRun r = CliRun.in(dir, "token", "create", "--agnet", "x");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown option '--agnet' for 'moat token create'").doesNotContain("Missing required");
        CliRun explain = CliRun.in(dir, "policy", "explain", "--agnt", "assistant", "--tool", "x", "--json");
        assertThat(explain.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(explain.err()).contains("unknown option '--agnt'", "(did you mean '--agent'?)");
        assertThat(explain.json().path("error").asText()).contains("unknown option '--agnt'");
        // a genuinely missing option is still reported as missing
        assertThat(CliRun.in(dir, "policy", "explain", "--tool", "x").err()).contains("Missing required option: '--agent=NAME'");
    }

    @Test
    void tokenCreateDoesNotReplaceAnExistingTokenFileWithoutForce() throws Exception {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice").exit()).isZero();
        String[] create = {"token", "create", "--issuer", "alice", "--subject", "bob", "--resource", "tool://x", "--actions", "read"};
        assertThat(CliRun.in(dir, create).exit()).isZero();
        byte[] first = Files.readAllBytes(dir.resolve("bob.token"));
        CliRun again = CliRun.in(dir, create);
        assertThat(again.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(again.err()).contains("bob.token already exists", "--force");
        assertThat(Files.readAllBytes(dir.resolve("bob.token"))).isEqualTo(first);
        String[] forced = java.util.Arrays.copyOf(create, create.length + 1);
        forced[create.length] = "--force";
        assertThat(CliRun.in(dir, forced).exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("bob.token"))).isNotEqualTo(first);
    }

    @Test
    void aHomeThatDoesNotExistIsAnErrorUnlessInit() {
        CliRun typo = CliRun.in(dir, "--home", "mohme", "identity", "list");
        assertThat(typo.exit()).isEqualTo(ExitCodes.IO);
        assertThat(typo.err()).contains("no Moat home at", "mohme", "--init", "moat init --home mohme");
        assertThat(dir.resolve("mohme")).doesNotExist();
        CliRun generate = CliRun.in(dir, "--home", "mohme", "identity", "generate", "--name", "alice");
        assertThat(generate.exit()).isEqualTo(ExitCodes.IO);
        CliRun init = CliRun.in(dir, "--home", "newhome", "--init", "identity", "generate", "--name", "alice");
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(dir.resolve("newhome/keys/alice.key")).exists();
        assertThat(CliRun.in(dir, "--home", "newhome", "identity", "list").exit()).isZero();
        // the default home (no --home) is still created on first use
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "bob").exit()).isZero();
    }

    @Test
    void demoChatbotHelpPrintsHelpWithoutBuilding() throws Exception {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path launcher = module.getParent().resolve("moat");
        Process p = new ProcessBuilder(List.of(launcher.toString(), "demo", "chatbot", "--help"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).startsWith("Usage: moat demo chatbot").contains("prompt injection", "--interactive");
    }
}
