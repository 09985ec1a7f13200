package dev.moat.token;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only forge for token chains: deterministic claims, links signed by any key (including the
 * wrong one), and wire bytes built from links, so tests can hand-build what the API refuses to.
 */
public final class TokenForge {
    private TokenForge() {}

    /** A deterministic 16-byte token id derived from {@code label}. */
    public static String id(String label) {
        byte[] h = Sha256.hash(("moat-test-token:" + label).getBytes(StandardCharsets.UTF_8));
        return Base64Url.encode(Arrays.copyOf(h, 16));
    }

    /** Mutable claims; {@link #token()} validates them like the codec does. */
    public static final class Claims {
        public String id;
        public AgentKeypair issuer;
        public AgentId subject;
        public String parent;
        public int depth;
        public List<Scope> allow = new ArrayList<>();
        public List<Scope> deny = new ArrayList<>();
        public ResourceLimits limits = ResourceLimits.UNLIMITED_COMPUTE_NO_IO;
        public Instant iat;
        public Instant exp;

        public static Claims root(String label, AgentKeypair issuer, AgentId subject, Instant iat, Instant exp) {
            Claims c = new Claims();
            c.id = id(label);
            c.issuer = issuer;
            c.subject = subject;
            c.iat = iat;
            c.exp = exp;
            return c;
        }

        /** A child of this token issued by {@code holder} to {@code subject}, inheriting everything. */
        public Claims child(String label, AgentKeypair holder, AgentId subject) {
            Claims c = copy();
            c.id = id(label);
            c.issuer = holder;
            c.subject = subject;
            c.parent = id;
            c.depth = depth + 1;
            return c;
        }

        public Claims copy() {
            Claims c = new Claims();
            c.id = id;
            c.issuer = issuer;
            c.subject = subject;
            c.parent = parent;
            c.depth = depth;
            c.allow = new ArrayList<>(allow);
            c.deny = new ArrayList<>(deny);
            c.limits = limits;
            c.iat = iat;
            c.exp = exp;
            return c;
        }

        public Claims allow(String pattern, String... actions) {
            allow.add(Scope.of(pattern, actions));
            return this;
        }

        public Claims deny(String pattern, String... actions) {
            deny.add(Scope.of(pattern, actions));
            return this;
        }

        public Claims withLimits(ResourceLimits l) {
            limits = l;
            return this;
        }

        public CapabilityToken token() {
            return new CapabilityToken(id, issuer.id(), issuer.publicKey(), subject, parent, depth, allow, deny, limits, iat, exp);
        }

        /** The payload as a mutable sorted map, for JSON-level tampering. */
        public Map<String, Object> map() {
            return new TreeMap<>(TokenCodec.toPlain(token()));
        }

        public byte[] payload() {
            return TokenForge.payload(token());
        }

        /** Signed by the claimed issuer. */
        public Map<String, Object> signed() {
            return sign(issuer, payload());
        }
    }

    public static byte[] payload(CapabilityToken t) {
        return CanonicalJson.encode(TokenCodec.toPlain(t));
    }

    public static byte[] payload(Map<String, Object> claims) {
        return CanonicalJson.encode(claims);
    }

    /** A link object {@code {"key","payload","sig"}} from raw parts. */
    public static Map<String, Object> link(byte[] key, byte[] payload, byte[] sig) {
        Map<String, Object> m = new TreeMap<>();
        m.put("key", Base64Url.encode(key));
        m.put("payload", Base64Url.encode(payload));
        m.put("sig", Base64Url.encode(sig));
        return m;
    }

    /** A link signed by {@code signer} with the token domain tag; the envelope key is the signer's. */
    public static Map<String, Object> sign(Ed25519PrivateKey signer, byte[] payload) {
        return link(signer.publicKey().bytes(), payload, signer.sign(Domain.TOKEN, payload));
    }

    /** As {@link #sign(Ed25519PrivateKey, byte[])} for an agent. */
    public static Map<String, Object> sign(AgentKeypair signer, byte[] payload) {
        return link(signer.publicKey().bytes(), payload, signer.sign(Domain.TOKEN, payload));
    }

    /** A link whose envelope key is {@code key} but whose signature is by {@code signer}. */
    public static Map<String, Object> sign(AgentKeypair signer, Ed25519PublicKey key, byte[] payload) {
        return link(key.bytes(), payload, signer.sign(Domain.TOKEN, payload));
    }

    /** The canonical chain wire bytes {@code {"chain":[...],"v":1}}. */
    public static byte[] wire(List<Map<String, Object>> links) {
        Map<String, Object> m = new TreeMap<>();
        m.put("chain", new ArrayList<Object>(links));
        m.put("v", 1L);
        return CanonicalJson.encode(m);
    }

    public static String wireText(List<Map<String, Object>> links) {
        return new String(wire(links), StandardCharsets.UTF_8);
    }

    public static TokenChain chain(List<Map<String, Object>> links) {
        return TokenChain.parse(wire(links)).orThrow();
    }

    /** The link objects of an existing chain. */
    public static List<Map<String, Object>> links(TokenChain chain) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SignedToken t : chain.links()) {
            out.add(new TreeMap<>(t.toPlain()));
        }
        return out;
    }
}
