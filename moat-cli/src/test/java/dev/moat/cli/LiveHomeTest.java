package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentId;
import dev.moat.identity.KeyFiles;
import dev.moat.pep.Decision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI and a running app share one home: {@code moat token revoke} run as a real child process
 * (java -cp of moat-cli's classes) is enforced by a {@code Moat} started from a policy in that home
 * within one second, and audited; a second process on the same home is refused.
 */
@Timeout(180)
class LiveHomeTest {
    @TempDir
    Path dir;

    private Path home;
    private Path policy;

    @BeforeEach
    void setUp() throws Exception {
        home = dir.resolve(".moat");
        for (String name : List.of("owner", "partner", "assistant")) {
            assertThat(CliRun.in(dir, "--home", home.toString(), "--init", "identity", "generate", "--name", name).exit()).isZero();
        }
        policy = dir.resolve("moat.yaml");
        Files.writeString(policy, """
                version: 1
                id: live-home
                home: .moat
                agents:
                  - {name: owner, key: .moat/keys/owner.key}
                  - {name: partner, key: .moat/keys/partner.key}
                  - {name: assistant, key: .moat/keys/assistant.key}
                trusted_roots: [owner]
                grants:
                  - issuer: owner
                    subject: assistant
                    allow: [{resource: "tool://inbox/**", actions: [read]}]
                    valid_for: 1h
                """, StandardCharsets.UTF_8);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Run(int exit, String out) {}

    private Run child(String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish: " + cmd);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static Decision read(Moat moat) {
        return moat.guard().check(ToolCall.builder("assistant", "tool://inbox/alice/1", "read").arguments("{}").build());
    }

    @Test
    void aRevocationByTheCliChildProcessIsEnforcedWithinOneSecondAndAudited() throws Exception {
        AgentId assistant = KeyFiles.loadPublic(home.resolve("keys/assistant.pub")).id();
        try (Moat moat = Moat.fromPolicy(policy)) {
            assertThat(read(moat)).isInstanceOf(Decision.Allow.class);

            Run revoke = child(MoatCli.class.getName(), "--home", home.toString(), "token", "revoke", "--agent", "assistant");
            assertThat(revoke.exit()).as(revoke.out()).isZero();
            long written = System.nanoTime();
            Decision d = read(moat);
            while (d instanceof Decision.Allow && System.nanoTime() - written < 2_000_000_000L) {
                Thread.sleep(20);
                d = read(moat);
            }
            long millis = (System.nanoTime() - written) / 1_000_000;
            assertThat(d).isInstanceOfSatisfying(Decision.Deny.class, deny -> assertThat(deny.code()).isEqualTo(ReasonCode.REVOKED));
            assertThat(millis).as("revocation enforced after %d ms", millis).isLessThan(1000);
        }
        List<AuditEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            events.add(AuditEntry.parseLine(line).event());
        }
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AuditEvent.Revocation.class, r -> {
            assertThat(r.change()).isEqualTo(AuditEvent.Revocation.Change.REVOKED);
            assertThat(r.agent()).isEqualTo(assistant.value());
            assertThat(r.source()).endsWith("revoked.json");
        }));
        assertThat(AuditVerifier.forFile(home.resolve("audit.jsonl")).build().verify()).isInstanceOf(AuditVerification.Intact.class);

        // The CLI's own view of the same file agrees, and a restarted app still denies.
        assertThat(CliRun.in(dir, "--home", home.toString(), "identity", "list", "--json").out().replaceAll("\\s", ""))
                .contains("\"revoked\":true");
        try (Moat again = Moat.fromPolicy(policy)) {
            assertThat(read(again)).isInstanceOfSatisfying(Decision.Deny.class, deny -> assertThat(deny.code()).isEqualTo(ReasonCode.REVOKED));
        }
    }

    /** Polls {@code read(moat)} for up to two seconds until {@code done}; returns the milliseconds it took. */
    private static long until(Moat moat, java.util.function.Predicate<Decision> done) throws InterruptedException {
        long written = System.nanoTime();
        Decision d = read(moat);
        while (!done.test(d) && System.nanoTime() - written < 2_000_000_000L) {
            Thread.sleep(20);
            d = read(moat);
        }
        assertThat(done.test(d)).as("decision after 2 s: %s", d).isTrue();
        return (System.nanoTime() - written) / 1_000_000;
    }

    @Test
    void aRootRemovedOrAddedByTheCliChildProcessTakesEffectWithinOneSecondAndIsAudited() throws Exception {
        // partner is trusted only in the home (not in the policy's trusted_roots), as moat identity trust does
        assertThat(CliRun.in(dir, "--home", home.toString(), "identity", "trust", "partner").exit()).isZero();
        AgentId partner = KeyFiles.loadPublic(home.resolve("keys/partner.pub")).id();
        AgentId assistant = KeyFiles.loadPublic(home.resolve("keys/assistant.pub")).id();
        try (Moat moat = Moat.fromPolicy(policy)) {
            moat.capabilities().issue("partner", "assistant", dev.moat.token.Grant.to(assistant)
                    .allow("tool://inbox/**", "read").validFor(java.time.Duration.ofMinutes(30)).build());
            assertThat(read(moat)).isInstanceOf(Decision.Allow.class);

            Run remove = child(MoatCli.class.getName(), "--home", home.toString(), "identity", "trust", "--remove", "partner");
            assertThat(remove.exit()).as(remove.out()).isZero();
            long removed = until(moat, d -> d instanceof Decision.Deny deny && deny.code() == ReasonCode.UNTRUSTED_ROOT);
            assertThat(removed).as("removal enforced after %d ms", removed).isLessThan(1000);

            Run add = child(MoatCli.class.getName(), "--home", home.toString(), "identity", "trust", "partner");
            assertThat(add.exit()).as(add.out()).isZero();
            long added = until(moat, d -> d instanceof Decision.Allow);
            assertThat(added).as("trust taken up after %d ms", added).isLessThan(1000);

            // a corrupt trust store fails closed: every call is denied until it parses again
            Path file = home.resolve("trusted_roots.json");
            byte[] good = Files.readAllBytes(file);
            Files.writeString(file, "{\"roots\":[", StandardCharsets.UTF_8);
            until(moat, d -> d instanceof Decision.Deny);
            assertThat(moat.trustStore().orElseThrow().failure()).isNotNull();
            Files.write(file, good);
            until(moat, d -> d instanceof Decision.Allow);
        }
        List<AuditEvent.Trust> trust = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            if (AuditEntry.parseLine(line).event() instanceof AuditEvent.Trust t) {
                trust.add(t);
            }
        }
        assertThat(trust).extracting(AuditEvent.Trust::change).containsExactly(AuditEvent.Trust.Change.LOADED,
                AuditEvent.Trust.Change.DISTRUSTED, AuditEvent.Trust.Change.TRUSTED,
                AuditEvent.Trust.Change.UNREADABLE, AuditEvent.Trust.Change.RECOVERED);
        assertThat(trust.get(1).root()).isEqualTo(partner.value());
        assertThat(trust.get(1).name()).isEqualTo("partner");
        assertThat(AuditVerifier.forFile(home.resolve("audit.jsonl")).build().verify()).isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void aSecondProcessOnTheSameHomeIsRefused() throws Exception {
        try (Moat moat = Moat.fromPolicy(policy)) {
            Run second = child(HomeChild.class.getName(), policy.toString());
            assertThat(second.exit()).as(second.out()).isEqualTo(3);
            assertThat(second.out()).startsWith("refused: ").contains("in use by another");
            assertThat(read(moat)).isInstanceOf(Decision.Allow.class);
        }
        Run after = child(HomeChild.class.getName(), policy.toString());
        assertThat(after.exit()).as(after.out()).isZero();
        assertThat(after.out()).endsWith("started");
    }
}
