package dev.moat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.check.ReasonCode;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import dev.moat.monitor.MutableClock;
import dev.moat.pep.Decision;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An offline root: the runtime holds only the root's public key, so the assistant's capability
 * comes from {@code <home>/tokens/assistant.token}, issued elsewhere. Clock-driven, nothing sleeps.
 */
@Timeout(60)
class OfflineTokensTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private AgentKeypair root;
    private AgentKeypair assistant;
    private MutableClock clock;
    private Path tokenFile;

    private static final String POLICY = """
            version: 1
            id: offline-root
            agents:
              - name: admin
                public: keys/admin.pub
              - name: assistant
                key: keys/assistant.key
              - name: helper
                key: keys/helper.key
            trusted_roots: [admin]
            grants:
              - issuer: assistant
                subject: helper
                allow:
                  - resource: "tool://inbox/shared/**"
                    actions: [read]
                valid_for: 20m
            audit:
              durability: every_entry
            """;

    @BeforeEach
    void setUp() throws Exception {
        root = AgentKeypair.generate("admin");
        assistant = AgentKeypair.generate("assistant");
        KeyFiles.savePublic(root.identity(), dir.resolve("keys/admin.pub"));
        KeyFiles.savePrivate(assistant, dir.resolve("keys/assistant.key"));
        KeyFiles.savePrivate(AgentKeypair.generate("helper"), dir.resolve("keys/helper.key"));
        Files.writeString(dir.resolve("moat.yaml"), POLICY);
        clock = new MutableClock(START);
        tokenFile = dir.resolve(".moat/tokens/assistant.token");
        dev.moat.identity.HomeFolder.prepare(dir.resolve(".moat")); // a home Moat made (marker), as `moat init` does
        Files.createDirectories(tokenFile.getParent());
        write(issue(root, "tool://inbox/**", START, Duration.ofHours(1)));
    }

    private TokenChain issue(AgentKeypair issuer, String resource, Instant at, Duration validFor) {
        return TokenChain.issue(issuer, Grant.to(assistant.id()).allow(resource, "read").issuedAt(at).expiresAt(at.plus(validFor)).build());
    }

    private void write(TokenChain chain) throws Exception {
        // as the CLI writes it: the chain's canonical JSON and a newline, replaced atomically
        Path tmp = tokenFile.resolveSibling("assistant.token.tmp");
        Files.writeString(tmp, chain.toJson() + "\n");
        Files.move(tmp, tokenFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Moat start() {
        return PolicyRuntime.start(MoatPolicy.load(dir.resolve("moat.yaml")), clock);
    }

    private String audit() throws Exception {
        return Files.readString(dir.resolve(".moat/audit.jsonl"));
    }

    private static boolean allowed(Moat moat, String agent, String resource) {
        return moat.guard().check(ToolCall.builder(agent, resource, "read").build()).allowed();
    }

    @Test
    void aTokenFileIsLoadedARenewedOneIsTakenUpAndTheLastOneIsWarnedAboutBeforeItExpires() throws Exception {
        try (Moat moat = start()) {
            assertThat(allowed(moat, "assistant", "tool://inbox/a")).isTrue();
            // the policy's delegation from the file's capability works and is renewed with it
            assertThat(allowed(moat, "helper", "tool://inbox/shared/a")).isTrue();

            clock.advance(Duration.ofMinutes(50)); // margin of a 1 h token: 6 min; not yet
            moat.capabilities().tick();
            assertThat(RenewalTest.count(audit(), "\"kind\":\"notice\"")).isZero();
            clock.advance(Duration.ofMinutes(5)); // 55 min: inside the margin, no renewed file
            assertThat(allowed(moat, "assistant", "tool://inbox/a")).isTrue(); // the warning comes at call time too
            assertThat(RenewalTest.count(audit(), "\"kind\":\"notice\"")).isEqualTo(1);
            assertThat(audit()).contains("has not been renewed");
            moat.capabilities().tick();
            assertThat(RenewalTest.count(audit(), "\"kind\":\"notice\"")).isEqualTo(1); // once per token, not per call

            write(issue(root, "tool://inbox/**", clock.instant(), Duration.ofHours(1)));
            moat.capabilities().tick();
            Instant renewed = moat.capabilities().current("assistant").orElseThrow().expiresAt();
            assertThat(renewed).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
            assertThat(audit()).contains("took up token file assistant.token");

            clock.advance(Duration.ofMinutes(10)); // the first file's token has expired
            assertThat(allowed(moat, "assistant", "tool://inbox/a")).isTrue();
            assertThat(allowed(moat, "helper", "tool://inbox/shared/a")).isTrue();
            assertThat(moat.capabilities().current("helper").orElseThrow().chain().claimsAt(0).orThrow().expiresAt())
                    .isEqualTo(renewed); // the delegation was re-derived from the renewed file

            clock.advance(Duration.ofHours(1)); // nobody renewed: denied, and said so
            Decision d = moat.guard().check(ToolCall.builder("assistant", "tool://inbox/a", "read").build());
            assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.EXPIRED);
            assertThat(audit()).contains("expired at");
        }
    }

    @Test
    void aRenewedFileThatBroadensIsRefusedAndTheTokenInUseKept() throws Exception {
        try (Moat moat = start()) {
            Capability before = moat.capabilities().current("assistant").orElseThrow();
            clock.advance(Duration.ofMinutes(30));
            write(issue(root, "tool://**", clock.instant(), Duration.ofHours(1))); // the same root, but broader
            moat.capabilities().tick();
            assertThat(moat.capabilities().current("assistant").orElseThrow().chain().toJson()).isEqualTo(before.chain().toJson());
            assertThat(audit()).contains("renewed token file for assistant refused: scope");
            assertThat(allowed(moat, "assistant", "tool://admin/keys")).isFalse();

            write(issue(AgentKeypair.generate("admin"), "tool://inbox/**", clock.instant(), Duration.ofHours(1))); // another key
            moat.capabilities().tick();
            assertThat(audit()).contains("renewed token file for assistant refused: untrusted_root");

            write(issue(root, "tool://inbox/**", START.minus(Duration.ofMinutes(1)), Duration.ofMinutes(59))); // not newer
            moat.capabilities().tick();
            assertThat(audit()).contains("refused: not_newer");

            Files.writeString(tokenFile, "{\"chain\":[],\"v\":1}\n"); // garbage
            moat.capabilities().tick();
            assertThat(audit()).contains("refused: malformed");
            assertThat(moat.capabilities().current("assistant").orElseThrow().chain().toJson()).isEqualTo(before.chain().toJson());
            assertThat(allowed(moat, "assistant", "tool://inbox/a")).isTrue();
        }
    }

    @Test
    void withoutATokenFileTheDelegationFromItCannotStart() throws Exception {
        Files.delete(tokenFile);
        assertThatThrownBy(this::start).isInstanceOf(PolicyException.class)
                .hasMessageContaining("moat.yaml:12:5: grants[0] (assistant -> helper): the issuer 'assistant' is neither a trusted root");
    }

    @Test
    void aTokenFileForAnotherAgentIsRefused() throws Exception {
        AgentKeypair other = AgentKeypair.generate("assistant");
        write(TokenChain.issue(root, Grant.to(other.id()).allow("tool://inbox/**", "read").issuedAt(START)
                .expiresAt(START.plus(Duration.ofHours(1))).build()));
        assertThatThrownBy(this::start).isInstanceOf(PolicyException.class); // so the helper's grant has no parent
    }
}
