package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.Moat;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.check.ReasonCode;
import dev.moat.pep.Decision;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of spec/PROTOCOL.md 10.6: a child JVM guards calls on the production file
 * configuration (no fsync per call) and is SIGKILLed mid-calls, twice in a row. Then every envelope
 * it ever handed to its PEP is replayed at the restarted PEP: none that was accepted is accepted
 * again, and every call the child saw allowed is in the audit log, once, which verifies.
 */
@Timeout(180)
class ReplayCrashTest {
    @TempDir
    Path home;

    private final Map<String, String> envelopes = new HashMap<>(); // message id -> wire
    private final Set<String> allowedByChild = new HashSet<>();

    @Test
    void noMessageIsAcceptedTwiceAcrossSigkillAndNothingAcceptedIsMissingFromTheAudit() throws Exception {
        live(300);
        live(200); // a second life after an unclean stop: the restart rule must not lock the agents out
        assertThat(allowedByChild).hasSizeGreaterThanOrEqualTo(500);

        Map<String, Integer> allowedInAudit = allowedDecisions();
        for (String id : allowedByChild) {
            assertThat(allowedInAudit.get(id)).as("allowed call %s in the audit exactly once", id).isEqualTo(1);
        }
        FileSequenceStore store = FileSequenceStore.open(home.resolve("replay"));
        try (Moat moat = ReplayCrashChild.open(home, store)) {
            assertThat(store.recoveredFromUncleanStop()).isTrue();
            int refused = 0;
            for (Map.Entry<String, String> e : envelopes.entrySet()) {
                Decision d = moat.pep().evaluate(e.getValue().getBytes(StandardCharsets.UTF_8));
                if (allowedInAudit.containsKey(e.getKey())) {
                    assertThat(d).as("replay of accepted %s", e.getKey()).isInstanceOf(Decision.Deny.class);
                    assertThat(((Decision.Deny) d).code()).isEqualTo(ReasonCode.REPLAY);
                    refused++;
                }
                // an envelope in flight at the kill that never reached the store may be accepted now, once
            }
            assertThat(refused).isGreaterThanOrEqualTo(allowedByChild.size());
            // and the restarted Moat still serves its agents
            assertThat(moat.guard().check(dev.moat.guard.ToolCall.builder("alpha", "tool://after", "run").build()).allowed()).isTrue();
        }
        AuditVerification v = AuditVerifier.forFile(home.resolve("audit.jsonl")).build().verify();
        assertThat(v.isIntact()).as("audit after two kills: %s", v).isTrue();
    }

    /** One life of the child: runs until it reports {@code minAllowed} allowed calls in this life, then SIGKILL. */
    private void live(int minAllowed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReplayCrashChild.class.getName(), home.toString()))
                .redirectError(home.resolve("child.err").toFile()).start();
        int allowed = 0;
        List<String> denied = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("env ")) {
                    String wire = line.substring(4);
                    envelopes.put(messageId(wire), wire);
                } else if (line.startsWith("ok ")) {
                    allowedByChild.add(line.substring(3));
                    if (++allowed >= minAllowed) {
                        child.destroyForcibly(); // SIGKILL on Linux, mid-calls: both threads are running
                        break;
                    }
                } else if (line.startsWith("denied ")) {
                    denied.add(line);
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(allowed).as("child stderr: %s", Files.exists(home.resolve("child.err"))
                ? Files.readString(home.resolve("child.err")) : "").isGreaterThanOrEqualTo(minAllowed);
        assertThat(denied).as("the child's own calls are never refused").isEmpty();
    }

    private static String messageId(String wire) throws Exception {
        JsonNode env = new ObjectMapper().readTree(wire);
        byte[] header = java.util.Base64.getUrlDecoder().decode(env.get("msg").asText());
        return new ObjectMapper().readTree(header).get("id").asText();
    }

    private Map<String, Integer> allowedDecisions() throws Exception {
        Map<String, Integer> out = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(home.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            if (line.isEmpty() || !line.endsWith("}")) {
                continue; // a torn last line left by the kill (repaired on the next open)
            }
            JsonNode event = json.readTree(line).get("event");
            if (event.get("type").asText().equals("decision") && event.get("allowed").asBoolean() && event.has("messageId")) {
                out.merge(event.get("messageId").asText(), 1, Integer::sum);
            }
        }
        return out;
    }
}
