package dev.moat.js;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.identity.AgentId;
import dev.moat.json.CanonicalJson;
import dev.moat.internal.StrictJson;
import dev.moat.internal.TimeFormat;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.message.MessageVerifier;
import dev.moat.token.RevocationCheck;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * moat-core's result for one interop case, in exactly the JSON shape scripts/interop.mjs prints
 * for the TypeScript implementation, so the two compare equal when they agree.
 */
final class JavaResults {
    private JavaResults() {}

    static Map<String, Object> of(JsonNode c) {
        return switch (c.get("kind").textValue()) {
            case "chain" -> chain(c);
            case "message" -> message(c);
            case "audit" -> audit(c);
            case "keys" -> keys(c);
            case "sigs" -> sigs(c);
            case "keyfile" -> keyFile(c);
            default -> throw new IllegalArgumentException("unknown case kind " + c.get("kind"));
        };
    }

    private static Set<String> strings(JsonNode n) {
        Set<String> out = new java.util.HashSet<>();
        if (n != null) {
            n.forEach(x -> out.add(x.textValue()));
        }
        return out;
    }

    private static Map<String, Object> chain(JsonNode c) {
        Set<AgentId> roots = strings(c.get("trusted_roots")).stream().map(AgentId::parse).collect(Collectors.toSet());
        Set<String> agents = strings(c.get("revoked_agents"));
        Set<String> tokens = strings(c.get("revoked_tokens"));
        TokenVerifier verifier = TokenVerifier.builder()
                .trustRoots(roots)
                .clock(Clock.fixed(TimeFormat.parse(c.get("now").textValue()), ZoneOffset.UTC))
                .revocation(new RevocationCheck() {
                    @Override
                    public boolean isAgentRevoked(AgentId agent) {
                        return agents.contains(agent.value());
                    }

                    @Override
                    public boolean isTokenRevoked(String tokenId) {
                        return tokens.contains(tokenId);
                    }
                })
                .build();
        byte[] wire = c.get("wire").textValue().getBytes(StandardCharsets.UTF_8);
        Checked<VerifiedCapability> r = verifier.verify(wire);
        Map<String, Object> out = new LinkedHashMap<>();
        if (r.failureOrNull() != null) {
            Failure f = r.failureOrNull();
            out.put("ok", false);
            out.put("code", f.code().code());
            out.put("link", firstFailingLink(verifier, wire, f));
            return out;
        }
        VerifiedCapability cap = r.orThrow();
        out.put("ok", true);
        out.put("subject", cap.subject().value());
        out.put("root", cap.rootIssuer().value());
        out.put("links", cap.links().size());
        out.put("leaf_id", cap.leaf().id());
        out.put("not_after", TimeFormat.format(cap.notAfter()));
        out.put("chain_sha256", Base64Url.encode(cap.chain().hash()));
        List<String> requests = new ArrayList<>();
        for (JsonNode q : c.get("requests")) {
            var code = cap.evaluate(q.get("resource").textValue(), q.get("action").textValue());
            requests.add(code == null ? "allow" : code.code());
        }
        out.put("requests", requests);
        return out;
    }

    /** The index of the first link whose prefix fails with the same code, as the vector runner finds it; -1 if unparseable. */
    @SuppressWarnings("unchecked")
    private static int firstFailingLink(TokenVerifier verifier, byte[] wire, Failure failure) {
        if (TokenChain.parse(wire).failureOrNull() != null) {
            return -1;
        }
        Map<String, Object> chain = (Map<String, Object>) StrictJson.toPlain(StrictJson.parseObject(wire, Integer.MAX_VALUE, "chain"));
        List<Object> links = (List<Object>) chain.get("chain");
        for (int k = 1; k <= links.size(); k++) {
            Map<String, Object> prefix = new TreeMap<>(chain);
            prefix.put("chain", new ArrayList<>(links.subList(0, k)));
            Failure f = verifier.verify(CanonicalJson.encode(prefix)).failureOrNull();
            if (f != null) {
                return f.code() == failure.code() ? k - 1 : -1;
            }
        }
        return -1;
    }

    private static Map<String, Object> message(JsonNode c) {
        Checked<AuthenticatedMessage> r = new MessageVerifier().verify(c.get("wire").textValue().getBytes(StandardCharsets.UTF_8));
        Map<String, Object> out = new LinkedHashMap<>();
        if (r.failureOrNull() != null) {
            out.put("ok", false);
            out.put("code", r.failureOrNull().code().code());
            return out;
        }
        AuthenticatedMessage m = r.orThrow();
        out.put("ok", true);
        out.put("id", m.id());
        out.put("sender", m.sender().value());
        out.put("recipient", m.recipient());
        out.put("resource", m.resource());
        out.put("action", m.action());
        out.put("seq", Long.toString(m.sequence()));
        out.put("ts", TimeFormat.format(m.timestamp()));
        out.put("policy_id", m.policy().policyId());
        out.put("policy_sha256", m.policy().sha256Base64Url());
        out.put("body_sha256", Base64Url.encode(m.header().bodySha256()));
        out.put("chain_sha256", Base64Url.encode(m.chain().hash()));
        out.put("leaf_subject", m.chain().leafClaims().orThrow().subject().value());
        return out;
    }

    private static Map<String, Object> audit(JsonNode c) {
        AuditVerifier.Builder b = AuditVerifier.forFile(Path.of(c.get("log").textValue()));
        if (c.hasNonNull("public_key")) {
            b.publicKey(Ed25519PublicKey.of(Base64Url.decode(c.get("public_key").textValue())));
        }
        if (c.path("require_checkpoint_at_head").asBoolean(false)) {
            b.requireCheckpointAtHead();
        }
        AuditVerification r = b.build().verify();
        Map<String, Object> out = new LinkedHashMap<>();
        if (r instanceof AuditVerification.Intact i) {
            out.put("intact", true);
            out.put("entries", Long.toString(i.entries()));
            out.put("checkpoints", i.checkpointsVerified());
            out.put("head", Base64Url.encode(i.headHash()));
            out.put("uncheckpointed", Long.toString(i.uncheckpointedEntries()));
            out.put("key_trust", i.keyTrust().name());
            return out;
        }
        AuditVerification.Broken broken = (AuditVerification.Broken) r;
        AuditBreak k = broken.breakage();
        out.put("intact", false);
        out.put("kind", k.kind().name());
        out.put("source", k.source().name());
        out.put("index", Long.toString(k.index()));
        out.put("line", k.line());
        out.put("entries_verified", Long.toString(broken.entriesVerified()));
        return out;
    }

    private static Map<String, Object> keyFile(JsonNode c) {
        Map<String, Object> out = new LinkedHashMap<>();
        Path path = Path.of(c.get("path").textValue());
        try {
            if (c.get("private").booleanValue()) {
                dev.moat.identity.AgentKeypair k = dev.moat.identity.KeyFiles.loadPrivate(path);
                out.put("name", k.name());
                out.put("id", k.id().value());
                out.put("public_key", k.publicKey().toBase64Url());
            } else {
                dev.moat.identity.AgentIdentity i = dev.moat.identity.KeyFiles.loadPublic(path);
                out.put("name", i.name());
                out.put("id", i.id().value());
                out.put("public_key", i.publicKey().toBase64Url());
            }
        } catch (dev.moat.MoatException e) {
            out.put("refused", "malformed");
        }
        return out;
    }

    private static Map<String, Object> sigs(JsonNode c) {
        List<Boolean> valid = new ArrayList<>();
        for (JsonNode x : c.get("items")) {
            Ed25519PublicKey key = Ed25519PublicKey.of(Base64Url.decode(x.get("key").textValue()));
            valid.add(key.verifyRaw(Base64Url.decode(x.get("framed").textValue()), Base64Url.decode(x.get("sig").textValue())));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", valid);
        return out;
    }

    private static Map<String, Object> keys(JsonNode c) {
        List<Boolean> valid = new ArrayList<>();
        for (JsonNode k : c.get("keys")) {
            boolean ok;
            try {
                Ed25519PublicKey.of(Base64Url.decode(k.textValue()));
                ok = true;
            } catch (IllegalArgumentException e) {
                ok = false;
            }
            valid.add(ok);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("valid", valid);
        return out;
    }
}
