package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks: trust injected through the home. A {@code .moat/} folder shipped in a cloned
 * repository (marker included) is not trusted because the default home is the working directory;
 * a world-writable home, {@code keys/} or trust file lets another user replace what Moat trusts;
 * a symbolic-link home would be followed into another folder. Each is refused with a clear message.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HomeSafetyTest {
    @TempDir
    Path dir;

    /** What a malicious repository ships: a home trusting the attacker's root, with a copied marker. */
    private Path shippedHome(Path repo) throws Exception {
        Path elsewhere = dir.resolve("attacker");
        assertThat(CliRun.in(elsewhere, "identity", "generate", "--name", "evil-root", "--trust").exit()).isZero();
        Path home = repo.resolve(".moat");
        Files.createDirectories(home.resolve("keys"));
        for (String f : new String[] {"trusted_roots.json", ".moat-home", "keys/evil-root.pub", "keys/evil-root.key"}) {
            Files.copy(elsewhere.resolve(".moat").resolve(f), home.resolve(f));
        }
        return home;
    }

    @Test
    void aHomeShippedInAClonedRepositoryIsRefusedUntilAdopted() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo);
        shippedHome(repo);
        CliRun list = CliRun.in(repo, "identity", "list");
        assertThat(list.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(list.err()).contains("was not created here by Moat").contains("cloned repository").contains("moat init");
        assertThat(list.out()).doesNotContain("evil-root");

        // the user's explicit choice
        assertThat(CliRun.in(repo, "init").exit()).isZero();
        assertThat(CliRun.in(repo, "identity", "list").out()).contains("evil-root");
    }

    @Test
    void aHomeMoatCreatedIsTrustedAndKeepsWorking() {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice", "--trust").exit()).isZero();
        assertThat(Files.exists(dir.resolve(".moat/.moat-home"))).isTrue();
        assertThat(CliRun.in(dir, "identity", "list").out()).contains("alice").contains("trusted root");
    }

    @Test
    void writableByOthersIsRefused() throws Exception {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice", "--trust").exit()).isZero();
        for (String part : new String[] {"", "keys", "trusted_roots.json"}) {
            Path p = part.isEmpty() ? dir.resolve(".moat") : dir.resolve(".moat").resolve(part);
            var before = Files.getPosixFilePermissions(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(part.endsWith(".json") ? "rw-rw-rw-" : "rwxrwxrwx"));
            try {
                CliRun run = CliRun.in(dir, "identity", "list");
                assertThat(run.exit()).as(part).isEqualTo(ExitCodes.DENIED);
                assertThat(run.err()).contains("writable by others").contains("chmod go-w");
            } finally {
                Files.setPosixFilePermissions(p, before);
            }
        }
        Files.setPosixFilePermissions(dir.resolve(".moat"), PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(CliRun.in(dir, "identity", "list").err()).contains("writable by its group");
    }

    @Test
    void aSymlinkedHomeIsNotFollowed() throws Exception {
        Path real = dir.resolve("someone-else");
        assertThat(CliRun.in(real, "identity", "generate", "--name", "bob", "--trust").exit()).isZero();
        Path cwd = dir.resolve("cwd");
        Files.createDirectories(cwd);
        Files.createSymbolicLink(cwd.resolve(".moat"), real.resolve(".moat"));
        CliRun run = CliRun.in(cwd, "identity", "list");
        assertThat(run.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(run.err()).contains("is a symbolic link");
        // a symlinked trust file inside a real home is refused too
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "carol").exit()).isZero();
        Files.createSymbolicLink(dir.resolve(".moat/revoked.json"), real.resolve(".moat/trusted_roots.json"));
        assertThat(CliRun.in(dir, "identity", "list").err()).contains("revoked.json is a symbolic link");
    }

    @Test
    void aKeyFileInTheHomeReplacedByAnotherUserWouldBeCaughtByItsMode() throws Exception {
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice").exit()).isZero();
        Path pub = dir.resolve(".moat/keys/mallory.pub");
        KeyFiles.savePublic(AgentKeypair.generate("mallory").identity(), pub);
        assertThat(CliRun.in(dir, "identity", "list").out()).contains("mallory"); // 0644, owned by us: fine
        Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(CliRun.in(dir, "identity", "list").err()).contains("mallory.pub is writable by others");
    }
}
