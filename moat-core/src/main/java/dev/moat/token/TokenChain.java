package dev.moat.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A capability as it travels: signed tokens, root first, each link delegated by the subject of
 * the one before. Its canonical JSON is {@code {"chain":[{"key","payload","sig"},...],"v":1}}.
 * Immutable. Creating links goes through {@link #issue} and {@link #delegate}, which enforce
 * attenuation by construction; trusting a chain goes through {@link TokenVerifier} only.
 */
public final class TokenChain {
    private static final Set<String> FIELDS = Set.of("v", "chain");
    private static final int MAX_DECODED_LEAVES = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<java.nio.ByteBuffer, CapabilityToken> DECODED_LEAVES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final List<SignedToken> links;
    private volatile byte[] encoded;
    private volatile byte[] hash;
    private volatile Checked<CapabilityToken> leafClaims;

    private TokenChain(List<SignedToken> links) {
        this.links = List.copyOf(links);
    }

    /** Canonical bytes and hash are computed on first use and then kept (the chain is immutable). */
    private byte[] encodedBytes() {
        byte[] e = encoded;
        if (e == null) {
            List<Object> plain = new ArrayList<>(links.size());
            for (SignedToken t : links) {
                plain.add(t.toPlain());
            }
            Map<String, Object> m = new TreeMap<>();
            m.put("chain", plain);
            m.put("v", 1L);
            e = CanonicalJson.encode(m);
            encoded = e;
        }
        return e;
    }

    private byte[] hashBytes() {
        byte[] h = hash;
        if (h == null) {
            h = Sha256.hash(Domain.CHAIN, encodedBytes());
            hash = h;
        }
        return h;
    }

    /** Issues a root token: {@code issuer} grants {@code grant} to its subject, signed now. */
    public static TokenChain issue(AgentKeypair issuer, Grant grant) {
        CapabilityToken claims = grant.toRootClaims(issuer);
        return new TokenChain(List.of(SignedToken.sign(claims, issuer)));
    }

    /**
     * Delegates a narrower capability. {@code holder} must be the subject of this chain's leaf;
     * the parent's denials are carried over automatically; unset limits inherit the parent's.
     *
     * @throws AttenuationException naming the rule when the grant is broader than the leaf
     */
    public TokenChain delegate(AgentKeypair holder, Grant grant) {
        return delegate(holder, grant, Attenuation.DEFAULT_MAX_DEPTH);
    }

    /** As {@link #delegate(AgentKeypair, Grant)} with an explicit depth cap. */
    public TokenChain delegate(AgentKeypair holder, Grant grant, int maxDepth) {
        CapabilityToken parent = leafClaims().orThrow();
        if (!parent.subject().equals(holder.id())) {
            throw new AttenuationException("issuer", "only the leaf's subject (" + parent.subject() + ") can delegate");
        }
        CapabilityToken child = grant.toChildClaims(holder, parent);
        String rule = Attenuation.violation(parent, child);
        if (rule != null) {
            throw new AttenuationException(rule, Attenuation.describe(rule));
        }
        if (child.depth() > maxDepth) {
            throw new AttenuationException("depth", "delegation depth " + child.depth() + " exceeds the cap of " + maxDepth);
        }
        List<SignedToken> next = new ArrayList<>(links);
        next.add(SignedToken.sign(child, holder));
        return new TokenChain(next);
    }

    /** Parses the wire form with {@link TokenLimits#DEFAULT}. Form only: nothing is trusted yet. */
    public static Checked<TokenChain> parse(byte[] json) {
        return parse(json, TokenLimits.DEFAULT);
    }

    /** Parses the wire form with explicit limits. Form only: nothing is trusted yet. */
    public static Checked<TokenChain> parse(byte[] json, TokenLimits limits) {
        try {
            ObjectNode node = StrictJson.parseObject(json, limits.maxChainBytes(), "token chain");
            TokenChain chain = fromJson(node, limits);
            if (!java.util.Arrays.equals(chain.encodedBytes(), json)) {
                return Checked.failed(ReasonCode.MALFORMED, "token chain is not in canonical form");
            }
            return Checked.ok(chain);
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.MALFORMED, "token chain: " + e.getClass().getSimpleName());
        }
    }

    /** Parses the wire form from text. */
    public static Checked<TokenChain> parse(String json) {
        if (json == null) {
            return Checked.failed(ReasonCode.MALFORMED, "token chain: missing");
        }
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a chain from an already parsed JSON tree (for decoders of objects that embed a
     * chain, such as message envelopes). Form only: nothing is trusted yet.
     */
    public static Checked<TokenChain> parseTree(JsonNode node, TokenLimits limits) {
        try {
            return Checked.ok(fromJson(node, limits));
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.MALFORMED, "token chain: " + e.getClass().getSimpleName());
        }
    }

    static TokenChain fromJson(JsonNode node, TokenLimits limits) {
        JsonFields f = JsonFields.of(node, "token chain", FIELDS);
        if (f.integer("v") != 1) {
            throw Rejection.malformed("token chain: unsupported version");
        }
        List<JsonNode> items = f.array("chain", limits.maxLinks());
        if (items.isEmpty()) {
            throw Rejection.malformed("token chain: empty");
        }
        List<SignedToken> links = new ArrayList<>(items.size());
        for (JsonNode n : items) {
            links.add(SignedToken.fromJson(n, limits.maxTokenBytes()));
        }
        return new TokenChain(links);
    }

    /** The links, root first. */
    public List<SignedToken> links() {
        return links;
    }

    public int size() {
        return links.size();
    }

    /** The leaf's claims, decoded without verification (for tooling and delegation). */
    public Checked<CapabilityToken> leafClaims() {
        Checked<CapabilityToken> c = leafClaims;
        if (c == null) {
            // Decoding is a pure function of the leaf's payload bytes, which the chain hash covers:
            // a chain seen before (the same agent's token on every message) is not decoded again.
            java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(hashBytes());
            CapabilityToken known = DECODED_LEAVES.get(key);
            if (known != null) {
                c = Checked.ok(known);
            } else {
                c = claimsAt(links.size() - 1);
                if (c instanceof Checked.Ok<CapabilityToken> ok) {
                    if (DECODED_LEAVES.size() >= MAX_DECODED_LEAVES) {
                        DECODED_LEAVES.clear();
                    }
                    DECODED_LEAVES.put(key, ok.value());
                }
            }
            leafClaims = c;
        }
        return c;
    }

    /** The claims of link {@code i}, decoded without verification. */
    public Checked<CapabilityToken> claimsAt(int i) {
        try {
            return Checked.ok(links.get(i).decodeClaims(TokenLimits.DEFAULT.maxTokenBytes()));
        } catch (Rejection r) {
            return Checked.failed(r.failure());
        } catch (RuntimeException e) {
            return Checked.failed(ReasonCode.MALFORMED, "token: " + e.getClass().getSimpleName());
        }
    }

    /** The canonical wire bytes (a copy). */
    public byte[] encoded() {
        return encodedBytes().clone();
    }

    /** The canonical wire form as text. */
    public String toJson() {
        return new String(encodedBytes(), StandardCharsets.UTF_8);
    }

    /** SHA-256 over {@code "moat/v1/chain" || 0x00 || encoded()} (a copy). */
    public byte[] hash() {
        return hashBytes().clone();
    }

    @Override
    public String toString() {
        return "TokenChain[links=" + links.size() + "]";
    }
}
