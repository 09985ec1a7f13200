package dev.moat.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.internal.TimeFormat;
import dev.moat.message.AuthenticatedMessage;
import dev.moat.message.MessageLimits;
import dev.moat.message.MessageVerifier;
import dev.moat.token.ResourcePattern;
import dev.moat.token.Resources;
import dev.moat.token.RevocationCheck;
import dev.moat.token.TokenLimits;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/verify}: runs Moat's own verifiers on caller-supplied protocol objects, in the
 * shape of spec/vectors ({@code kind} and {@code input}), so a client in another language can check
 * its encoding against the Java implementation and run the shared vectors through the sidecar.
 * Stateless: the caller supplies the trust roots, clock, revocations and limits, so nothing of the
 * sidecar's own trust store, keys or replay state is used or revealed.
 */
final class Verify {
    private Verify() {}

    static Map<String, Object> run(RequestBody body) {
        String kind = body.text("kind", 32);
        JsonNode in = body.rawObject("input");
        if (in == null || !in.isObject()) {
            throw ApiError.malformed("field 'input' must be a JSON object");
        }
        try {
            return switch (kind) {
                case "resource" -> Map.of("valid", Resources.isValid(text(in, "resource")));
                case "pattern" -> Map.of("valid", patternValid(text(in, "pattern")));
                case "match" -> Map.of("matches", pattern(text(in, "pattern")).matches(text(in, "resource")));
                case "covers" -> Map.of("covers", pattern(text(in, "broader")).covers(pattern(text(in, "narrower"))));
                case "message" -> message(in);
                case "chain" -> chain(in);
                default -> throw ApiError.malformed("field 'kind' must be resource, pattern, match, covers, message or chain");
            };
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) { // pure functions of the input: any failure is the input's fault
            throw ApiError.malformed("input: " + (e.getMessage() == null ? e.getClass().getSimpleName() : RequestBody.clip(e.getMessage())));
        }
    }

    private static Map<String, Object> message(JsonNode in) {
        JsonNode l = object(in, "limits");
        MessageLimits limits = new MessageLimits(integer(l, "max_body_bytes"), integer(l, "max_envelope_bytes"), tokenLimits(l));
        Checked<AuthenticatedMessage> result = new MessageVerifier(limits).verify(text(in, "message").getBytes(StandardCharsets.UTF_8));
        if (!result.isOk()) {
            return Map.of("ok", false, "code", result.failureOrNull().code().code());
        }
        AuthenticatedMessage m = result.orThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("id", m.id());
        out.put("sender", m.sender().value());
        out.put("recipient", m.recipient());
        out.put("aud", m.audience());
        out.put("resource", m.resource());
        out.put("action", m.action());
        out.put("seq", m.sequence());
        out.put("ts", TimeFormat.format(m.timestamp()));
        out.put("policy_id", m.policy().policyId());
        out.put("policy_sha256", m.policy().sha256Base64Url());
        out.put("body_sha256", Base64Url.encode(Sha256.hash(Domain.PAYLOAD, m.body())));
        out.put("chain_sha256", Base64Url.encode(m.chain().hash()));
        var leaf = m.chain().leafClaims();
        out.put("leaf_subject", leaf.isOk() ? leaf.orThrow().subject().value() : null);
        return out;
    }

    private static Map<String, Object> chain(JsonNode in) {
        Set<AgentId> roots = new HashSet<>();
        for (String r : strings(in, "trusted_roots")) {
            roots.add(AgentId.parse(r));
        }
        Set<String> agents = new HashSet<>(strings(in, "revoked_agents"));
        Set<String> tokens = new HashSet<>(strings(in, "revoked_tokens"));
        TokenVerifier verifier = TokenVerifier.builder()
                .trustRoots(roots)
                .clock(Clock.fixed(TimeFormat.parse(text(in, "now")), ZoneOffset.UTC))
                .maxDepth(integer(in, "max_depth"))
                .maxClockSkew(Duration.ofMillis(integer(in, "max_clock_skew_ms")))
                .limits(tokenLimits(object(in, "limits")))
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
        Checked<VerifiedCapability> result = verifier.verify(text(in, "chain").getBytes(StandardCharsets.UTF_8));
        if (!result.isOk()) {
            return Map.of("ok", false, "code", result.failureOrNull().code().code());
        }
        VerifiedCapability cap = result.orThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("subject", cap.subject().value());
        out.put("root", cap.rootIssuer().value());
        out.put("links", (long) cap.links().size());
        out.put("leaf_id", cap.leaf().id());
        out.put("not_after", TimeFormat.format(cap.notAfter()));
        out.put("chain_sha256", Base64Url.encode(cap.chain().hash()));
        JsonNode requests = in.get("requests");
        if (requests != null && requests.isArray() && requests.size() <= 256) {
            List<Object> answers = new ArrayList<>();
            for (JsonNode r : requests) {
                ReasonCode code = cap.evaluate(text(r, "resource"), text(r, "action"));
                answers.add(code == null ? "allow" : code.code());
            }
            out.put("requests", answers);
        }
        return out;
    }

    private static boolean patternValid(String text) {
        try {
            return ResourcePattern.parse(text).text().equals(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ResourcePattern pattern(String text) {
        return ResourcePattern.parse(text);
    }

    private static TokenLimits tokenLimits(JsonNode l) {
        return new TokenLimits(integer(l, "max_token_bytes"), integer(l, "max_links"), integer(l, "max_chain_bytes"));
    }

    private static JsonNode object(JsonNode in, String name) {
        JsonNode v = in.get(name);
        if (v == null || !v.isObject()) {
            throw ApiError.malformed("input '" + name + "' must be an object");
        }
        return v;
    }

    private static String text(JsonNode in, String name) {
        JsonNode v = in == null ? null : in.get(name);
        if (v == null || !v.isTextual()) {
            throw ApiError.malformed("input '" + name + "' must be a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode in, String name) {
        JsonNode v = in.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
            throw ApiError.malformed("input '" + name + "' must be a non-negative integer");
        }
        return v.intValue();
    }

    private static List<String> strings(JsonNode in, String name) {
        JsonNode v = in.get(name);
        if (v == null || !v.isArray() || v.size() > 1024) {
            throw ApiError.malformed("input '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isTextual()) {
                throw ApiError.malformed("input '" + name + "' must be an array of strings");
            }
            out.add(n.textValue());
        }
        return out;
    }
}
