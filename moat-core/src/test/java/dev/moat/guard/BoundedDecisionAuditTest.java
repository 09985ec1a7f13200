package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.ArgumentsMode;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import dev.moat.pep.Decision;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision entries are bounded whatever the call's size: a call with the largest body the router
 * permits (1 MiB) is allowed and recorded, one byte more is denied and still recorded, and the file
 * log verifies. The arguments mode decides what is kept: full (bounded, marked when cut), hash, none.
 */
@Timeout(60)
class BoundedDecisionAuditTest {
    @TempDir
    Path dir;

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair agent = AgentKeypair.generate("assistant");
    private final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");

    private Moat moat(ArgumentsMode mode) {
        TokenChain chain = TokenChain.issue(root, Grant.to(agent.id()).allow("tool://echo", "execute")
                .validFor(Duration.ofHours(1)).build());
        JsonlAuditStore store = JsonlAuditStore.builder(dir.resolve("audit.jsonl")).durability(Durability.everyEntry()).build();
        Moat.Builder b = Moat.builder().agent(root).agent(agent).trustRoot("root").capability("assistant", chain)
                .sequenceStore(new InMemorySequenceStore()).auditLog(AuditLog.builder(store, auditKey).open());
        return (mode == null ? b : b.auditArguments(mode)).build();
    }

    /** Canonical JSON {"text":"aaa…"} of exactly {@code size} bytes. */
    private static byte[] body(int size) {
        String head = "{\"text\":\"";
        return (head + "a".repeat(size - head.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static Decision call(Moat moat, byte[] args) {
        return moat.guard().check(ToolCall.builder("assistant", "tool://echo", "execute").arguments(args).build());
    }

    private List<AuditEvent.Decision> decisions() throws Exception {
        return Files.readAllLines(dir.resolve("audit.jsonl")).stream().map(AuditEntry::parseLine)
                .map(AuditEntry::event).filter(e -> e instanceof AuditEvent.Decision).map(e -> (AuditEvent.Decision) e).toList();
    }

    private AuditVerification verify() {
        return AuditVerifier.forFile(dir.resolve("audit.jsonl")).publicKey(auditKey.publicKey()).requireCheckpointAtHead().build().verify();
    }

    @Test
    void theLargestPermittedBodyIsRecordedAndTheLogVerifies() throws Exception {
        int cap = RouterLimits.DEFAULT.maxBodyBytes();
        byte[] largest = body(cap);
        byte[] tooLarge = body(cap + 1);
        try (Moat moat = moat(null)) {
            assertThat(call(moat, largest)).isInstanceOf(Decision.Allow.class);
            assertThat(call(moat, tooLarge)).isInstanceOfSatisfying(Decision.Deny.class,
                    d -> assertThat(d.code().code()).isEqualTo("oversized"));
        }
        assertThat(verify()).isInstanceOf(AuditVerification.Intact.class);
        List<AuditEvent.Decision> ds = decisions();
        assertThat(ds).hasSize(2);
        assertThat(ds.get(0).allowed()).isTrue();
        assertThat(ds.get(0).payloadSha256()).isEqualTo(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, largest)));
        assertThat(ds.get(1).allowed()).isFalse();
        assertThat(ds.get(1).reasonCode()).isEqualTo("oversized");
        assertThat(ds.get(1).payloadSha256()).isEqualTo(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, tooLarge)));
        for (AuditEvent.Decision d : ds) {
            assertThat(d.signedMessage()).isNull();
            assertThat(d.arguments()).isNull();
            assertThat(d.headerSha256()).hasSize(43);
            assertThat(d.chainSha256()).hasSize(43);
            assertThat(d.messageId()).isNotNull();
        }
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            assertThat(line.length()).isLessThan(1024);
        }
    }

    @Test
    void fullKeepsTheArgumentsTextBoundedWithATruncationMarker() throws Exception {
        byte[] small = "{\"to\":\"bob\"}".getBytes(StandardCharsets.UTF_8);
        byte[] big = body(100_000);
        try (Moat moat = moat(ArgumentsMode.FULL)) {
            call(moat, small);
            call(moat, big);
        }
        assertThat(verify()).isInstanceOf(AuditVerification.Intact.class);
        List<AuditEvent.Decision> ds = decisions();
        assertThat(ds.get(0).arguments()).isEqualTo("{\"to\":\"bob\"}");
        assertThat(ds.get(0).argumentsTruncated()).isFalse();
        assertThat(ds.get(0).payloadSha256()).isEqualTo(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, small)));
        assertThat(ds.get(1).argumentsTruncated()).isTrue();
        assertThat(ds.get(1).arguments().getBytes(StandardCharsets.UTF_8)).hasSize(AuditEvent.Decision.MAX_ARGUMENT_BYTES);
        assertThat(new String(big, StandardCharsets.UTF_8)).startsWith(ds.get(1).arguments());
    }

    @Test
    void fullNeverCutsACharacterInHalf() throws Exception {
        // 4095 bytes of prefix, then a 3-byte character straddling the cap.
        String head = "{\"t\":\"";
        String text = head + "a".repeat(AuditEvent.Decision.MAX_ARGUMENT_BYTES - head.length() - 1) + "\u20ac\u20ac\"}";
        try (Moat moat = moat(ArgumentsMode.FULL)) {
            call(moat, text.getBytes(StandardCharsets.UTF_8));
        }
        AuditEvent.Decision d = decisions().get(0);
        assertThat(d.argumentsTruncated()).isTrue();
        assertThat(d.arguments()).doesNotContain("\uFFFD").endsWith("a");
        assertThat(text).startsWith(d.arguments());
    }

    @Test
    void hashIsTheDefaultAndKeepsOnlyTheDigest() throws Exception {
        byte[] personal = "{\"email\":\"alice@example.org\"}".getBytes(StandardCharsets.UTF_8);
        try (Moat moat = moat(null)) {
            call(moat, personal);
        }
        String log = Files.readString(dir.resolve("audit.jsonl"));
        assertThat(log).doesNotContain("alice@example.org").doesNotContain(Base64Url.encode(personal));
        assertThat(decisions().get(0).payloadSha256()).isEqualTo(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, personal)));
    }

    @Test
    void noneKeepsNeitherTheArgumentsNorTheirDigest() throws Exception {
        byte[] personal = "{\"email\":\"alice@example.org\"}".getBytes(StandardCharsets.UTF_8);
        try (Moat moat = moat(ArgumentsMode.NONE)) {
            call(moat, personal);
        }
        AuditEvent.Decision d = decisions().get(0);
        assertThat(d.arguments()).isNull();
        assertThat(d.payloadSha256()).isNull();
        assertThat(d.headerSha256()).isNotNull();
        assertThat(Files.readString(dir.resolve("audit.jsonl"))).doesNotContain("alice@example.org")
                .doesNotContain(Base64Url.encode(Sha256.hash(Domain.PAYLOAD, personal)));
        assertThat(verify()).isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void longResourceAndDetailStringsAreCut() {
        AuditEvent.Decision d = new AuditEvent.Decision("agent", "tool://" + "x".repeat(5000), "execute", false,
                "capability", "not_granted", "d".repeat(5000), "id");
        assertThat(d.resource()).hasSize(AuditEvent.Decision.MAX_TEXT_CHARS).endsWith("\u2026");
        assertThat(d.detail()).hasSize(AuditEvent.Decision.MAX_TEXT_CHARS).endsWith("\u2026");
    }
}
