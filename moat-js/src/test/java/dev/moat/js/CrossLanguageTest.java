package dev.moat.js;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.TimeFormat;
import dev.moat.message.MessageEnvelope;
import dev.moat.message.MessageSigner;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.AttenuationException;
import dev.moat.token.Grant;
import dev.moat.token.ResourceLimits;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both directions of interoperability with the TypeScript package: moat-core issues, delegates,
 * signs and writes an audit log, and @moat/core verifies (and refuses tampered copies) with the
 * same results; @moat/core does the same and moat-core verifies. Results are compared case by case
 * as whole JSON objects (codes, failing links, fields, hashes, audit break kinds and positions).
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class CrossLanguageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void javaSignsAndTypeScriptVerifiesWithTheSameResults() throws Exception {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair alice = AgentKeypair.generate("alice");
        AgentKeypair bob = AgentKeypair.generate("bob");
        AgentKeypair stranger = AgentKeypair.generate("stranger");
        TokenChain rootChain = TokenChain.issue(root, Grant.to(alice.id())
                .allow("tool://mail/**", "read", "send")
                .allow("file:///data/**", "read", "write")
                .allow("tool://*/search", "*")
                .deny("tool://mail/admin", "*")
                .limits(ResourceLimits.builder().maxFuel(10_000_000L).maxMemoryBytes(1L << 40).maxWallTime(Duration.ofSeconds(60))
                        .allowHosts(List.of("api.example.com", "*.example.org:8443")).readPaths(List.of("/data"))
                        .writePaths(List.of("/data/out")).build())
                .issuedAt(NOW.minusSeconds(60)).validFor(Duration.ofHours(24)).build());
        TokenChain chain = rootChain.delegate(alice, Grant.to(bob.id())
                .allow("tool://mail/read", "read")
                .allow("file:///data/reports/**", "read")
                .deny("file:///data/reports/secret/**", "read")
                .limits(ResourceLimits.builder().maxFuel(1000L).maxMemoryBytes(1L << 30).maxWallTime(Duration.ofSeconds(5))
                        .allowHosts(List.of("a.example.org:8443")).readPaths(List.of("/data/reports")).build())
                .issuedAt(NOW.minusSeconds(30)).expiresAt(NOW.plusSeconds(3600).plusMillis(7)).build());
        String wire = chain.toJson();
        String leafId = chain.leafClaims().orThrow().id();

        PolicyBinding policy = PolicyBinding.of("prod:v1", "version: 1\nname: prod\n".getBytes(StandardCharsets.UTF_8));
        byte[] body = "{\"folder\":\"inbox\",\"query\":\"ünïcødé \\\"quoted\\\"\"}".getBytes(StandardCharsets.UTF_8);
        MessageEnvelope env = new MessageSigner(bob, chain, CLOCK, "pep-a").sign("mail-server", "tool://mail/read", "read", body, policy);
        MessageEnvelope bearer = new MessageSigner(stranger, chain, CLOCK, "pep-a").sign("mail-server", "tool://mail/read", "read", body, policy);

        AgentKeypair logKey = AgentKeypair.generate("audit");
        Path log = dir.resolve("java-audit.jsonl");
        try (AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(log).build(), logKey).clock(CLOCK).checkpointEvery(3).open()) {
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.START, "boot", "abc"));
            audit.append(new AuditEvent.Decision(bob.id().value(), "tool://mail/read", "read", true, "capability", null, null,
                    env.peekHeader().orThrow().id(), env.toJson()));
            audit.append(new AuditEvent.ToolOutcome(bob.id().value(), "tool://mail/read", "read", null, AuditEvent.ToolOutcome.Status.OK,
                    "xyz", null, 1234));
            audit.append(new AuditEvent.SandboxRun(bob.id().value(), "m", 99L, 65536, 10, -1, null));
            audit.append(new AuditEvent.SecretResolution(bob.id().value(), "h1", "s", false, "not declared"));
            audit.append(new AuditEvent.MonitorAlert(bob.id().value(), "burst", AuditEvent.MonitorAlert.Action.BLOCK, "tab\there \u0000 nul, ünï"));
            audit.append(new AuditEvent.Decision(null, null, null, false, "router", "malformed", "x", null, null));
            // the current decision form (digests, arguments, user) and an audit-only one (wouldDeny)
            audit.append(new AuditEvent.Decision(bob.id().value(), "tool://mail/send", "execute", true, null, null, null, "m-2",
                    "HgWEol2fQ79cvQrsAesa8iIO0IW05_GDew2JlYyuNTo", "yDNNn2vXPSNFdPv0NKY4eqN0CvuHxppBWOB02WTOBrY",
                    "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", "{\"to\":\"bo", true, null, "user-42", false));
            audit.append(new AuditEvent.Decision(bob.id().value(), "tool://mail/send", "execute", true, "capability", "not_granted",
                    "scope not granted", "m-3", null, null, null, null, false, null, null, true));
            for (AuditEvent.Lifecycle.Kind kind : AuditEvent.Lifecycle.Kind.values()) {
                if (kind != AuditEvent.Lifecycle.Kind.STOP) { // the last entry is the one stop (the edited copy changes it)
                    audit.append(new AuditEvent.Lifecycle(kind, "k", null));
                }
            }
            for (AuditEvent.Revocation.Change change : AuditEvent.Revocation.Change.values()) {
                audit.append(new AuditEvent.Revocation(change, alice.id().value(), leafId, "revocations.json", "d"));
            }
            for (AuditEvent.Trust.Change change : AuditEvent.Trust.Change.values()) {
                audit.append(new AuditEvent.Trust(change, root.id().value(), "root", "trusted_roots", null));
            }
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.STOP, null, null));
        }
        List<String> lines = Files.readAllLines(log);
        Path truncated = copyLog(log, "truncated", String.join("\n", lines.subList(0, 6)) + "\n");
        Path edited = copyLog(log, "edited", Files.readString(log).replace("\"kind\":\"stop\"", "\"kind\":\"start\""));
        Path notCanonicalFlag = copyLog(log, "would-deny-false", Files.readString(log).replace("\"wouldDeny\":true", "\"wouldDeny\":false"));
        Path torn = copyLog(log, "torn", Files.readString(log).substring(0, Files.readString(log).length() - 5));
        // Only the first checkpoint (3 entries) kept: the torn last line is reported as such, not as truncation.
        Files.writeString(Path.of(torn + ".checkpoints"), Files.readAllLines(Path.of(log + ".checkpoints")).get(0) + "\n");

        String pub = logKey.publicKey().toBase64Url();
        Path keyFile = dir.resolve("bob.key");
        dev.moat.identity.KeyFiles.savePrivate(bob, keyFile);
        Path idFile = dir.resolve("bob.id");
        dev.moat.identity.KeyFiles.savePublic(bob.identity(), idFile);
        Path openKey = dir.resolve("open.key");
        dev.moat.identity.KeyFiles.savePrivate(alice, openKey);
        Files.setPosixFilePermissions(openKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path forgedId = dir.resolve("forged.id");
        Files.writeString(forgedId, Files.readString(idFile).replace(bob.id().value(), alice.id().value()));
        List<Map<String, Object>> cases = new ArrayList<>();
        cases.add(chainCase("java/chain-valid", wire, root, NOW, Map.of()));
        cases.add(chainCase("java/chain-root-only", rootChain.toJson(), root, NOW, Map.of()));
        cases.add(chainCase("java/chain-untrusted", wire, alice, NOW, Map.of()));
        cases.add(chainCase("java/chain-expired", wire, root, NOW.plusSeconds(3600).plusMillis(7), Map.of()));
        cases.add(chainCase("java/chain-1ms-before-expiry", wire, root, NOW.plusSeconds(3600).plusMillis(6), Map.of()));
        cases.add(chainCase("java/chain-not-yet-valid", wire, root, NOW.minusSeconds(120), Map.of()));
        cases.add(chainCase("java/chain-revoked-agent", wire, root, NOW, Map.of("revoked_agents", List.of(alice.id().value()))));
        cases.add(chainCase("java/chain-revoked-token", wire, root, NOW, Map.of("revoked_tokens", List.of(leafId))));
        cases.add(chainCase("java/chain-leaf-sig-tampered", replaceLast(wire, "\"sig\":\"", 5), root, NOW, Map.of()));
        cases.add(chainCase("java/chain-leaf-payload-tampered", replaceLast(wire, "\"payload\":\"", 60), root, NOW, Map.of()));
        cases.add(chainCase("java/chain-not-canonical", wire.replace("{\"chain\"", "{ \"chain\""), root, NOW, Map.of()));
        cases.add(messageCase("java/message-valid", env.toJson()));
        cases.add(messageCase("java/message-bearer", bearer.toJson()));
        cases.add(messageCase("java/message-body-altered", replaceLast(env.toJson(), "\"body\":\"", 3)));
        cases.add(messageCase("java/message-header-altered", replaceLast(env.toJson(), "\"msg\":\"", 30)));
        cases.add(messageCase("java/message-chain-altered", replaceLast(env.toJson(), "\"payload\":\"", 30)));
        cases.add(auditCase("java/audit-intact", log, null, true));
        cases.add(auditCase("java/audit-intact-provided-key", log, pub, false));
        cases.add(auditCase("java/audit-truncated", truncated, pub, false));
        cases.add(auditCase("java/audit-edited", edited, pub, false));
        cases.add(auditCase("java/audit-torn", torn, pub, false));
        cases.add(auditCase("java/audit-would-deny-false", notCanonicalFlag, pub, false));
        cases.add(auditCase("java/audit-wrong-key", log, root.publicKey().toBase64Url(), false));
        cases.add(new LinkedHashMap<>(Map.of("name", "java/keyfile-private", "kind", "keyfile", "path", keyFile.toString(), "private", true)));
        cases.add(new LinkedHashMap<>(Map.of("name", "java/keyfile-identity", "kind", "keyfile", "path", idFile.toString(), "private", false)));
        cases.add(new LinkedHashMap<>(Map.of("name", "java/keyfile-private-as-identity", "kind", "keyfile", "path", keyFile.toString(), "private", false)));
        cases.add(new LinkedHashMap<>(Map.of("name", "java/keyfile-group-readable", "kind", "keyfile", "path", openKey.toString(), "private", true)));
        cases.add(new LinkedHashMap<>(Map.of("name", "java/keyfile-forged-id", "kind", "keyfile", "path", forgedId.toString(), "private", false)));

        Map<String, JsonNode> ts = runCheck(cases);
        Map<String, Object> java = javaResults(cases);
        assertAgree(java, ts);

        assertThat(java.get("java/chain-valid")).asString().contains("\"ok\":true", "\"links\":2", bob.id().value(),
                "[\"allow\",\"not_granted\",\"explicitly_denied\",\"allow\",\"explicitly_denied\",\"allow\",\"invalid_resource\",\"invalid_resource\"]");
        assertThat(java.get("java/chain-untrusted")).asString().contains("untrusted_root", "\"link\":0");
        assertThat(java.get("java/chain-expired")).asString().contains("expired", "\"link\":1");
        assertThat(java.get("java/chain-1ms-before-expiry")).asString().contains("\"ok\":true");
        assertThat(java.get("java/chain-not-yet-valid")).asString().contains("expired", "\"link\":0");
        assertThat(java.get("java/chain-revoked-agent")).asString().contains("revoked", "\"link\":0");
        assertThat(java.get("java/chain-revoked-token")).asString().contains("revoked", "\"link\":1");
        assertThat(java.get("java/chain-leaf-sig-tampered")).asString().contains("bad_signature", "\"link\":1");
        assertThat(java.get("java/chain-leaf-payload-tampered")).asString().contains("bad_signature", "\"link\":1");
        assertThat(java.get("java/chain-not-canonical")).asString().contains("malformed");
        assertThat(java.get("java/message-valid")).asString().contains("\"ok\":true", "\"seq\":\"1795600800123000\"", "prod:v1");
        assertThat(java.get("java/message-bearer")).asString().contains("not_subject");
        assertThat(java.get("java/message-body-altered")).asString().contains("digest_mismatch");
        assertThat(java.get("java/message-header-altered")).asString().contains("bad_signature");
        assertThat(java.get("java/message-chain-altered")).asString().contains("digest_mismatch");
        assertThat(java.get("java/audit-intact")).asString().contains("\"intact\":true", "\"entries\":\"28\"", "SELF_ASSERTED");
        assertThat(java.get("java/audit-intact-provided-key")).asString().contains("\"intact\":true", "PROVIDED");
        assertThat(java.get("java/audit-truncated")).asString().contains("TRUNCATED");
        assertThat(java.get("java/audit-edited")).asString().contains("HASH_MISMATCH", "\"index\":\"27\"");
        assertThat(java.get("java/audit-torn")).asString().contains("TORN_TAIL", "\"index\":\"27\"", "\"line\":28");
        assertThat(java.get("java/audit-would-deny-false")).asString()
                .contains("MALFORMED_LINE", "\"index\":\"8\"", "\"line\":9");
        assertThat(java.get("java/audit-wrong-key")).asString().contains("CHECKPOINT_SIGNATURE");
        assertThat(java.get("java/keyfile-private")).asString().contains("\"name\":\"bob\"", bob.id().value());
        assertThat(java.get("java/keyfile-identity")).asString().contains("\"name\":\"bob\"", bob.id().value());
        assertThat(java.get("java/keyfile-private-as-identity")).asString().contains(bob.id().value());
        assertThat(java.get("java/keyfile-group-readable")).asString().isEqualTo("{\"refused\":\"malformed\"}");
        assertThat(java.get("java/keyfile-forged-id")).asString().isEqualTo("{\"refused\":\"malformed\"}");
    }

    @Test
    void typeScriptSignsAndJavaVerifiesWithTheSameResults() throws Exception {
        Path casesFile = dir.resolve("ts-cases.json");
        Node.interop(dir, "produce", casesFile.toString(), dir.resolve("ts").toString());
        JsonNode doc = JSON.readTree(casesFile.toFile());
        assertThat(doc.get("producer").textValue()).isEqualTo("moat-js");
        // TypeScript refused to let bob delegate what he does not hold, by the same rule Java names.
        assertThat(doc.get("broadening").textValue()).isEqualTo("broadened:scope");

        List<Map<String, Object>> cases = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            cases.add(JSON.convertValue(c, Map.class));
        }
        Map<String, Object> java = javaResults(cases);
        Map<String, JsonNode> ts = runCheck(cases);
        assertAgree(java, ts);

        String bob = doc.get("bob").textValue();
        assertThat(java.get("ts/chain-valid")).asString().contains("\"ok\":true", "\"links\":2", bob,
                "[\"allow\",\"not_granted\",\"explicitly_denied\",\"allow\",\"explicitly_denied\",\"allow\",\"invalid_resource\",\"invalid_resource\"]");
        assertThat(java.get("ts/chain-root-only")).asString().contains("\"ok\":true", "\"links\":1");
        assertThat(java.get("ts/chain-untrusted")).asString().contains("untrusted_root", "\"link\":0");
        assertThat(java.get("ts/chain-expired")).asString().contains("expired", "\"link\":1");
        assertThat(java.get("ts/chain-still-valid-1ms-before")).asString().contains("\"ok\":true");
        assertThat(java.get("ts/chain-revoked-bob")).asString().contains("revoked", "\"link\":1");
        assertThat(java.get("ts/chain-revoked-leaf-token")).asString().contains("revoked", "\"link\":1");
        assertThat(java.get("ts/chain-sig-tampered")).asString().contains("bad_signature", "\"link\":0");
        assertThat(java.get("ts/chain-leaf-payload-byte")).asString().contains("\"ok\":false");
        assertThat(java.get("ts/message-valid")).asString().contains("\"ok\":true", "\"seq\":\"1795600800123000\"");
        assertThat(java.get("ts/message-second-seq")).asString().contains("\"ok\":true", "\"seq\":\"1795600800123001\"");
        assertThat(java.get("ts/message-bearer")).asString().contains("not_subject");
        assertThat(java.get("ts/message-body-altered")).asString().contains("digest_mismatch");
        assertThat(java.get("ts/message-sig-altered")).asString().contains("bad_signature");
        assertThat(java.get("ts/audit-intact")).asString().contains("\"intact\":true", "\"entries\":\"8\"", "\"checkpoints\":3", "SELF_ASSERTED");
        assertThat(java.get("ts/audit-intact-provided-key")).asString().contains("\"intact\":true", "PROVIDED");
        assertThat(java.get("ts/audit-truncated")).asString().contains("TRUNCATED");
        assertThat(java.get("ts/audit-edited")).asString().contains("HASH_MISMATCH");
        assertThat(java.get("ts/audit-wrong-key")).asString().contains("CHECKPOINT_SIGNATURE");
        // Bouncy Castle's full public-key validation and the TypeScript one agree on every candidate
        // (random bytes: off the curve, mixed order, prime order), and both accept real keys.
        assertThat(java.get("ts/keys")).asString().startsWith("{\"valid\":[true,true,").contains("false");
        // Signatures whose R has a small-order component (or is one): moat-core's cofactored check
        // accepts them, and so does TypeScript (OpenSSL alone would refuse them); a changed byte
        // fails in both, and so does an R written non-canonically.
        assertThat(java.get("ts/sigs-small-order-r")).asString().isEqualTo("{\"valid\":[true,false,true,true,false,true,true,false,true,true,false,true,false]}");
        assertThat(java.get("ts/message-small-order-r")).asString().contains("\"ok\":true");
    }

    @Test
    void publicKeyValidationAgreesWithBouncyCastleOnRandomCandidates() throws Exception {
        Random random = new Random(20261125);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            keys.add(Base64Url.encode(k));
            keys.add(AgentKeypair.generate("k" + i).publicKey().toBase64Url());
        }
        // The eight small-order points' encodings and non-canonical y values.
        for (String hex : List.of("0100000000000000000000000000000000000000000000000000000000000000",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "0000000000000000000000000000000000000000000000000000000000000080",
                "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
                "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")) {
            keys.add(Base64Url.encode(java.util.HexFormat.of().parseHex(hex)));
        }
        List<Map<String, Object>> cases = List.of(new LinkedHashMap<>(Map.of("name", "java/keys", "kind", "keys", "keys", keys)));
        Map<String, Object> java = javaResults(cases);
        assertAgree(java, runCheck(cases));
        assertThat(java.get("java/keys")).asString().contains("true", "false");
    }

    private Path copyLog(Path log, String name, String content) throws Exception {
        Path copy = dir.resolve("java-audit-" + name + ".jsonl");
        Files.writeString(copy, content);
        Files.copy(Path.of(log + ".checkpoints"), Path.of(copy + ".checkpoints"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    /** Changes the base64url character {@code offset} characters after the last {@code marker}. */
    private static String replaceLast(String text, String marker, int offset) {
        int at = text.lastIndexOf(marker) + marker.length() + offset;
        char c = text.charAt(at);
        return text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1);
    }

    private static Map<String, Object> chainCase(String name, String wire, AgentKeypair trusted, Instant now, Map<String, Object> extra) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("kind", "chain");
        c.put("wire", wire);
        c.put("trusted_roots", List.of(trusted.id().value()));
        c.put("now", TimeFormat.format(now));
        List<Map<String, String>> requests = new ArrayList<>();
        for (String[] r : new String[][] {{"tool://mail/read", "read"}, {"tool://mail/read", "send"}, {"tool://mail/admin", "read"},
                {"file:///data/reports/q3.csv", "read"}, {"file:///data/reports/secret/k", "read"}, {"file:///data/reports", "read"},
                {"tool://mail/../admin", "read"}, {"tool://mail/read", "*"}}) {
            requests.add(Map.of("resource", r[0], "action", r[1]));
        }
        c.put("requests", requests);
        c.putAll(extra);
        return c;
    }

    private static Map<String, Object> messageCase(String name, String wire) {
        return new LinkedHashMap<>(Map.of("name", name, "kind", "message", "wire", wire));
    }

    private static Map<String, Object> auditCase(String name, Path log, String publicKey, boolean requireHead) {
        Map<String, Object> c = new LinkedHashMap<>(Map.of("name", name, "kind", "audit", "log", log.toString(),
                "require_checkpoint_at_head", requireHead));
        if (publicKey != null) {
            c.put("public_key", publicKey);
        }
        return c;
    }

    private Map<String, JsonNode> runCheck(List<Map<String, Object>> cases) throws Exception {
        Path file = Files.createTempFile(dir, "cases", ".json");
        JSON.writeValue(file.toFile(), Map.of("cases", cases));
        JsonNode results = JSON.readTree(Node.interop(dir, "check", file.toString()));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        results.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        assertThat(out).hasSize(cases.size());
        return out;
    }

    private static Map<String, Object> javaResults(List<Map<String, Object>> cases) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map<String, Object> c : cases) {
            out.put((String) c.get("name"), JSON.writeValueAsString(JavaResults.of(JSON.valueToTree(c))));
        }
        return out;
    }

    private static void assertAgree(Map<String, Object> java, Map<String, JsonNode> ts) throws Exception {
        assertThat(ts.keySet()).containsExactlyInAnyOrderElementsOf(java.keySet());
        for (Map.Entry<String, Object> e : java.entrySet()) {
            assertThat(ts.get(e.getKey())).as(e.getKey()).isEqualTo(JSON.readTree((String) e.getValue()));
        }
    }

    @Test
    void javaRefusesTheBroadeningTypeScriptRefused() {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair bob = AgentKeypair.generate("bob");
        TokenChain chain = TokenChain.issue(root, Grant.to(bob.id()).allow("tool://mail/read", "read").clock(CLOCK)
                .validFor(Duration.ofHours(1)).build());
        try {
            chain.delegate(bob, Grant.to(root.id()).allow("tool://mail/send", "send").clock(CLOCK).validFor(Duration.ofMinutes(1)).build());
            throw new AssertionError("delegation was not refused");
        } catch (AttenuationException e) {
            assertThat(e.rule()).isEqualTo("scope");
        }
    }
}
