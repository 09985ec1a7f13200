package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** audit verify, tail and show against real logs written by moat-core, intact and tampered. */
@Timeout(60)
class AuditCommandsTest {
    static final int ENTRIES = 12;

    @TempDir
    Path dir;

    Path log;

    @BeforeEach
    void writeLog() {
        log = dir.resolve("audit.jsonl");
        AgentKeypair key = AgentKeypair.generate("auditor");
        KeyFiles.savePublic(key.identity(), dir.resolve("auditor.pub"));
        try (AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(log).durability(Durability.everyEntry()).build(), key)
                .checkpointEvery(5).open()) {
            for (int i = 0; i < ENTRIES; i++) {
                audit.append(new AuditEvent.Decision("agent:test", "tool://r/" + i, "read", i % 2 == 0, "capability",
                        i % 2 == 0 ? null : "not_granted", null, "m" + i, null));
            }
        }
    }

    private CliRun verify(String... extra) {
        List<String> args = new ArrayList<>(List.of("audit", "verify", "--path", "audit.jsonl", "--json"));
        args.addAll(List.of(extra));
        return CliRun.in(dir, args.toArray(String[]::new));
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(log));
    }

    private void writeLines(List<String> lines) throws Exception {
        Files.writeString(log, String.join("\n", lines) + "\n");
    }

    @Test
    void anIntactLogVerifies() {
        CliRun r = verify();
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("entries").asLong()).isEqualTo(ENTRIES);
        assertThat(r.json().path("checkpointsVerified").asLong()).isEqualTo(3);
        assertThat(r.json().path("keyTrust").asText()).isEqualTo("self_asserted");
        CliRun text = CliRun.in(dir, "audit", "verify", "--path", "audit.jsonl");
        assertThat(text.out()).contains("intact audit.jsonl", "entries      12", "3 verified");
    }

    /** A log mixing the legacy decision form (whole envelope in signedMessage) with the bounded one. */
    @Test
    void aLogWithBothDecisionFormsVerifiesAndShows() {
        Path mixed = dir.resolve("mixed.jsonl");
        byte[] args = "{\"to\":\"bob\"}".getBytes(StandardCharsets.UTF_8);
        try (AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(mixed).durability(Durability.everyEntry()).build(),
                AgentKeypair.generate("auditor2")).open()) {
            audit.append(new AuditEvent.Decision("agent:test", "tool://pay", "execute", false, "capability", "not_granted",
                    "no", "m-old", "{\"body\":\"e30\",\"v\":1}"));
            audit.append(AuditEvent.Decision.forMessage("agent:test", "tool://mail", "execute", true, null, null, null, "m-new",
                    "header".getBytes(StandardCharsets.US_ASCII), dev.moat.crypto.Sha256.hash(args), new byte[32], args,
                    dev.moat.audit.ArgumentsMode.FULL));
        }
        CliRun r = CliRun.in(dir, "audit", "verify", "--path", "mixed.jsonl", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("entries").asLong()).isEqualTo(2);
        CliRun old = CliRun.in(dir, "audit", "show", "--path", "mixed.jsonl", "--index", "0", "--full");
        assertThat(old.exit()).isZero();
        assertThat(old.out()).contains("signedMessage").contains("m-old");
        CliRun bounded = CliRun.in(dir, "audit", "show", "--path", "mixed.jsonl", "--index", "1", "--full");
        assertThat(bounded.out()).contains("headerSha256", "payloadSha256", "chainSha256", "arguments").doesNotContain("signedMessage");
        CliRun tail = CliRun.in(dir, "audit", "tail", "--path", "mixed.jsonl");
        assertThat(tail.out()).contains("tool://pay", "tool://mail");
    }

    /** Old entries (no user) and new ones with the call's end user verify together; tail and show name the user. */
    @Test
    void decisionEntriesWithAnEndUserVerifyAndShowTheUser() {
        Path mixed = dir.resolve("users.jsonl");
        try (AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(mixed).durability(Durability.everyEntry()).build(),
                AgentKeypair.generate("auditor3")).open()) {
            audit.append(new AuditEvent.Decision("agent:test", "tool://inbox/x", "read", true, null, null, null, "m-0"));
            audit.append(new AuditEvent.Decision("agent:test", "tool://inbox/alice/1", "read", true, null, null, null, "m-1")
                    .withUser("alice"));
            audit.append(new AuditEvent.Decision("agent:test", "tool://inbox/bob/1", "read", false, "capability", "not_granted",
                    null, "m-2").withUser("eve\u001b[2J"));
        }
        CliRun r = CliRun.in(dir, "audit", "verify", "--path", "users.jsonl", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("entries").asLong()).isEqualTo(3);
        CliRun tail = CliRun.in(dir, "audit", "tail", "--path", "users.jsonl");
        assertThat(tail.out()).contains("for alice", "for eve\\u001b[2J").doesNotContain("\u001b");
        CliRun show = CliRun.in(dir, "audit", "show", "--path", "users.jsonl", "--index", "1");
        assertThat(show.out()).containsPattern("user +alice");
    }

    @Test
    void aKeyWeHoldIsUsedInsteadOfTheSidecar() {
        CliRun r = verify("--key", "auditor.pub");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("keyTrust").asText()).isEqualTo("provided");
        KeyFiles.savePublic(AgentKeypair.generate("other").identity(), dir.resolve("other.pub"));
        CliRun wrong = verify("--key", "other.pub");
        assertThat(wrong.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(wrong.reason()).isEqualTo("checkpoint_signature");
    }

    @Test
    void oneChangedByteIsFound() throws Exception {
        List<String> lines = lines();
        lines.set(7, lines.get(7).replace("tool://r/7", "tool://r/8"));
        writeLines(lines);
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("hash_mismatch");
        assertThat(r.json().path("index").asLong()).isEqualTo(7);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("index 7");
    }

    @Test
    void aDeletedLineIsFound() throws Exception {
        List<String> lines = lines();
        lines.remove(4);
        writeLines(lines);
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("index_gap");
        assertThat(r.json().path("index").asLong()).isEqualTo(4);
    }

    @Test
    void aTruncatedTailIsFound() throws Exception {
        byte[] bytes = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        // the last checkpoint covers entry 11, which is now cut short
        assertThat(r.reason()).isEqualTo("truncated");
    }

    @Test
    void aTornLastLineIsFound() throws Exception {
        Files.write(log, "{\"event\":{\"type\"".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("torn_tail");
        assertThat(r.json().path("index").asLong()).isEqualTo(ENTRIES);
    }

    @Test
    void cutWholeLinesBehindACheckpointAreFound() throws Exception {
        List<String> lines = lines();
        writeLines(lines.subList(0, 8));
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("truncated");
    }

    @Test
    void aMissingLogExits3AndAnEmptyOneExits1() throws Exception {
        CliRun missing = CliRun.in(dir, "audit", "verify", "--path", "nope.jsonl");
        assertThat(missing.exit()).isEqualTo(ExitCodes.IO);
        assertThat(missing.err().lines().count()).isEqualTo(1);
        Files.write(log, new byte[0]);
        CliRun empty = verify();
        assertThat(empty.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(empty.reason()).isEqualTo("empty");
    }

    @Test
    void aMissingCheckpointFileIsInvalid() throws Exception {
        Files.delete(JsonlAuditStore.checkpointsPath(log));
        CliRun r = verify();
        assertThat(r.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.reason()).isEqualTo("missing");
    }

    @Test
    void progressBarOnRequest() {
        CliRun r = CliRun.in(dir, "audit", "verify", "--path", "audit.jsonl", "--progress", "always");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("100%", "12 / 12 entries");
        CliRun auto = CliRun.in(dir, java.util.Map.of("MOAT_STDERR_TTY", "1"), "audit", "verify", "--path", "audit.jsonl");
        assertThat(auto.err()).as("small logs show no bar").isEmpty();
    }

    @Test
    void tailShowsTheLastEntries() {
        CliRun r = CliRun.in(dir, "audit", "tail", "--path", "audit.jsonl", "-n", "3");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).startsWith("#9 ");
        assertThat(out.get(2)).startsWith("#11 ").contains("denied not_granted");
        CliRun j = CliRun.in(dir, "audit", "tail", "--path", "audit.jsonl", "-n", "100", "--json");
        assertThat(j.json().path("entries")).hasSize(ENTRIES);
    }

    @Test
    void auditOnlyDecisionsVerifyAndAreShownApartFromEnforcedDenials() {
        Path shadowLog = dir.resolve("shadow.jsonl");
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair bot = AgentKeypair.generate("bot");
        dev.moat.token.TokenChain chain = dev.moat.token.TokenChain.issue(root, dev.moat.token.Grant.to(bot.id())
                .allow("tool://inbox/**", "read").validFor(java.time.Duration.ofHours(1)).build());
        int[] ran = {0};
        for (dev.moat.pep.ShadowMode mode : List.of(dev.moat.pep.ShadowMode.ENFORCE, dev.moat.pep.ShadowMode.ALL)) {
            try (dev.moat.Moat moat = dev.moat.Moat.builder().agent(root).agent(bot).trustRoot("root").capability("bot", chain)
                    .sequenceStore(new dev.moat.replay.InMemorySequenceStore())
                    .auditLog(AuditLog.builder(JsonlAuditStore.builder(shadowLog).build(), root).open())
                    .shadow(mode).build()) {
                moat.guard().call(dev.moat.guard.ToolCall.builder("bot", "tool://send_email", "execute").build(), () -> ran[0]++);
            }
        }
        assertThat(ran[0]).isEqualTo(1); // enforce denied it, audit-only ran it
        CliRun v = CliRun.in(dir, "audit", "verify", "--path", "shadow.jsonl", "--json");
        assertThat(v.exit()).as(v.toString()).isZero();
        CliRun tail = CliRun.in(dir, "audit", "tail", "--path", "shadow.jsonl", "-n", "100");
        assertThat(tail.exit()).as(tail.toString()).isZero();
        List<String> decisions = tail.out().lines().filter(l -> l.contains("tool://send_email")).toList();
        assertThat(decisions).hasSize(3); // the denial; then the would-deny and the outcome of the call that ran
        assertThat(decisions.get(0)).contains("denied not_granted").doesNotContain("would-deny");
        assertThat(decisions.get(1)).contains("would-deny capability/not_granted (audit-only: allowed)");
        assertThat(decisions.get(2)).contains("tool_outcome");
    }

    @Test
    void tailSkipsATornLastLine() throws Exception {
        Files.write(log, "{\"torn".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        CliRun r = CliRun.in(dir, "audit", "tail", "--path", "audit.jsonl", "-n", "1");
        assertThat(r.out()).startsWith("#11 ");
    }

    @Test
    void showPrintsOneEntry() {
        CliRun r = CliRun.in(dir, "audit", "show", "--path", "audit.jsonl", "--index", "5", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.json().path("entry").path("index").asLong()).isEqualTo(5);
        assertThat(r.json().path("entry").path("event").path("resource").asText()).isEqualTo("tool://r/5");
        CliRun text = CliRun.in(dir, "audit", "show", "--path", "audit.jsonl", "--index", "5");
        assertThat(text.out()).contains("entry 5", "tool://r/5", "not_granted");
        CliRun none = CliRun.in(dir, "audit", "show", "--path", "audit.jsonl", "--index", "99", "--json");
        assertThat(none.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(none.reason()).isEqualTo("not_found");
    }
}
