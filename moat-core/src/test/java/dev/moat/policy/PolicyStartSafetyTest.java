package dev.moat.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.Moat;
import dev.moat.MoatException;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.HomeFolder;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Moat.fromPolicy} and its home: a failed start must release the audit log's writer lock
 * (a retry in the same process would otherwise be refused for good), and a home planted next to
 * the policy (an audit key the attacker knows, shipped in a repository) or writable by others is
 * refused, not used.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyStartSafetyTest {
    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            id: start-safety
            agents:
              - name: admin
                key: keys/admin.key
            trusted_roots: [admin]
            grants:
              - issuer: admin
                subject: admin
                allow:
                  - resource: "tool://echo"
                    actions: [execute]
                valid_for: 1h
            audit:
              durability: every_entry
            """;

    @BeforeEach
    void keys() {
        KeyFiles.savePrivate(AgentKeypair.generate("admin"), dir.resolve("keys/admin.key"));
    }

    private Path write(String yaml) throws Exception {
        Path p = dir.resolve("moat.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void aFailedStartReleasesTheAuditLock() throws Exception {
        // fails after the audit log is open: the secret's file does not exist
        Path broken = write(POLICY + "secrets:\n  - {name: api, file: missing.secret, hosts: [api.example.com], agents: [admin]}\n");
        assertThatThrownBy(() -> Moat.fromPolicy(broken)).isInstanceOf(MoatException.class);
        assertThat(Files.exists(dir.resolve(".moat/audit.jsonl"))).as("the log was opened").isTrue();

        try (Moat moat = Moat.fromPolicy(write(POLICY))) {
            assertThat(moat.guard().check(ToolCall.builder("admin", "tool://echo", "execute").arguments("{}").build()).allowed()).isTrue();
        }
    }

    @Test
    void aPlantedHomeIsRefused() throws Exception {
        // what a cloned repository could ship: an audit key the attacker knows, in the default home
        KeyFiles.savePrivate(AgentKeypair.generate("moat-audit"), dir.resolve(".moat/keys/moat-audit.key"));
        assertThatThrownBy(() -> Moat.fromPolicy(write(POLICY))).isInstanceOf(MoatException.class)
                .hasMessageContaining("was not created here by Moat").hasMessageContaining("moat init");
        HomeFolder.adopt(dir.resolve(".moat")); // the user's explicit choice
        try (Moat moat = Moat.fromPolicy(write(POLICY))) {
            assertThat(moat.audit().size()).isPositive();
        }
    }

    @Test
    void aHomeWritableByOthersIsRefused() throws Exception {
        try (Moat moat = Moat.fromPolicy(write(POLICY))) {
            assertThat(Files.exists(dir.resolve(".moat/" + HomeFolder.MARKER))).isTrue();
        }
        Files.setPosixFilePermissions(dir.resolve(".moat"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> Moat.fromPolicy(write(POLICY))).isInstanceOf(MoatException.class)
                .hasMessageContaining("writable by others");
        Files.setPosixFilePermissions(dir.resolve(".moat"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir.resolve(".moat/keys/moat-audit.key"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> Moat.fromPolicy(write(POLICY))).isInstanceOf(MoatException.class)
                .hasMessageContaining("moat-audit.key");
    }

    @Test
    void requireAgentFilesNamesAMissingKeyFileWithoutStartingAnything() throws Exception {
        MoatPolicy policy = MoatPolicy.load(write(POLICY));
        dev.moat.PolicyRuntime.requireAgentFiles(policy); // present: nothing to say

        Files.delete(dir.resolve("keys/admin.key"));
        assertThatThrownBy(() -> dev.moat.PolicyRuntime.requireAgentFiles(policy))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("moat.yaml:5:")
                .hasMessageContaining("agents[0].key")
                .hasMessageContaining("does not exist (make it with: moat identity generate --name admin)");
        assertThat(dir.resolve(".moat")).doesNotExist(); // no home, no audit log
    }
}
