package dev.moat.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.identity.AgentId;
import dev.moat.internal.StrictJson;
import dev.moat.internal.TimeFormat;
import dev.moat.json.CanonicalJson;
import dev.moat.token.Attenuation;
import dev.moat.token.CapabilityToken;
import dev.moat.token.RevocationCheck;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenLimits;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Runs one "chain" vector against {@link TokenVerifier}. */
final class ChainVectorRunner {
    private ChainVectorRunner() {}

    static TokenLimits tokenLimits(JsonNode l) {
        return new TokenLimits(l.get("max_token_bytes").intValue(), l.get("max_links").intValue(), l.get("max_chain_bytes").intValue());
    }

    static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }

    static TokenVerifier verifier(JsonNode in) {
        Set<AgentId> roots = new HashSet<>();
        in.get("trusted_roots").forEach(n -> roots.add(AgentId.parse(n.textValue())));
        Set<String> agents = strings(in.get("revoked_agents"));
        Set<String> tokens = strings(in.get("revoked_tokens"));
        RevocationCheck revocation = new RevocationCheck() {
            @Override
            public boolean isAgentRevoked(AgentId agent) {
                return agents.contains(agent.value());
            }

            @Override
            public boolean isTokenRevoked(String tokenId) {
                return tokens.contains(tokenId);
            }
        };
        return TokenVerifier.builder()
                .trustRoots(roots)
                .clock(dev.moat.TestKeys.clockAt(TimeFormat.parse(in.get("now").textValue())))
                .maxDepth(in.get("max_depth").intValue())
                .maxClockSkew(Duration.ofMillis(in.get("max_clock_skew_ms").longValue()))
                .limits(tokenLimits(in.get("limits")))
                .revocation(revocation)
                .build();
    }

    static void run(JsonNode in, JsonNode expect) {
        TokenVerifier verifier = verifier(in);
        byte[] wire = in.get("chain").textValue().getBytes(StandardCharsets.UTF_8);
        Checked<VerifiedCapability> result = verifier.verify(wire);
        if (expect.get("ok").booleanValue()) {
            assertThat(result.failureOrNull()).as("failure").isNull();
            VerifiedCapability cap = result.orThrow();
            assertThat(cap.subject().value()).isEqualTo(expect.get("subject").textValue());
            assertThat(cap.rootIssuer().value()).isEqualTo(expect.get("root").textValue());
            assertThat(cap.links()).hasSize(expect.get("links").intValue());
            assertThat(cap.leaf().id()).isEqualTo(expect.get("leaf_id").textValue());
            assertThat(TimeFormat.format(cap.notAfter())).isEqualTo(expect.get("not_after").textValue());
            assertThat(Base64Url.encode(cap.chain().hash())).isEqualTo(expect.get("chain_sha256").textValue());
            for (JsonNode r : expect.get("requests")) {
                ReasonCode code = cap.evaluate(r.get("resource").textValue(), r.get("action").textValue());
                assertThat(code == null ? "allow" : code.code())
                        .as("%s %s", r.get("action").textValue(), r.get("resource").textValue())
                        .isEqualTo(r.get("result").textValue());
            }
            return;
        }
        ReasonCode code = ReasonCode.fromCode(expect.get("code").textValue());
        assertThat(result.isOk()).as("verification must fail").isFalse();
        assertThat(result.failureOrNull().code()).as(result.failureOrNull().toString()).isEqualTo(code);
        if (expect.has("link")) {
            checkFailingLink(verifier, in, expect.get("link").intValue(), code);
        }
        if (expect.has("rule")) {
            int link = expect.get("link").intValue();
            TokenChain chain = TokenChain.parse(wire, tokenLimits(in.get("limits"))).orThrow();
            CapabilityToken parent = chain.claimsAt(link - 1).orThrow();
            CapabilityToken child = chain.claimsAt(link).orThrow();
            assertThat(Attenuation.violation(parent, child)).isEqualTo(expect.get("rule").textValue());
        }
    }

    /** The first {@code link} links verify; adding link {@code link} fails with {@code code}. */
    private static void checkFailingLink(TokenVerifier verifier, JsonNode in, int link, ReasonCode code) {
        if (link > 0) {
            assertThat(verifier.verify(prefix(in, link)).failureOrNull()).as("links before %d", link).isNull();
        }
        assertThat(verifier.verify(prefix(in, link + 1)).failureOrNull())
                .as("links up to %d", link)
                .extracting(f -> f.code())
                .isEqualTo(code);
    }

    @SuppressWarnings("unchecked")
    private static byte[] prefix(JsonNode in, int n) {
        byte[] wire = in.get("chain").textValue().getBytes(StandardCharsets.UTF_8);
        Map<String, Object> chain = (Map<String, Object>) StrictJson.toPlain(StrictJson.parseObject(wire, Integer.MAX_VALUE, "chain"));
        List<Object> links = (List<Object>) chain.get("chain");
        Map<String, Object> out = new TreeMap<>(chain);
        out.put("chain", new ArrayList<>(links.subList(0, n)));
        return CanonicalJson.encode(out);
    }
}
