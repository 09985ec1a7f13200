package dev.moat.spec;

import static dev.moat.spec.Fixture.ALICE;
import static dev.moat.spec.Fixture.BOB;
import static dev.moat.spec.Fixture.MALLORY;
import static dev.moat.spec.Fixture.NOW;
import static dev.moat.spec.Fixture.OTHER_ROOT;
import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.bobToCarol;
import static dev.moat.spec.Fixture.carolToDave;
import static dev.moat.spec.Fixture.minutes;
import static dev.moat.spec.Fixture.rootToAlice;
import static dev.moat.spec.V.failAt;
import static dev.moat.spec.V.map;
import static dev.moat.spec.V.time;
import static dev.moat.spec.V.vector;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.token.TokenForge;
import dev.moat.token.TokenForge.Claims;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Chain vectors: valid chains with request decisions, structure, trust, time and revocation. */
final class ChainVectors {
    private ChainVectors() {}

    /** Verifier input with the defaults of spec/PROTOCOL.md; tweak the returned map per vector. */
    static Map<String, Object> input(String chainWire) {
        return map("now", time(NOW), "trusted_roots", List.of(ROOT.id().value()), "max_depth", 8,
                "max_clock_skew_ms", 30_000, "limits", map("max_token_bytes", 65536, "max_links", 16, "max_chain_bytes", 1048576),
                "revoked_agents", List.of(), "revoked_tokens", List.of(), "chain", chainWire);
    }

    static String wire(Claims... links) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Claims c : links) {
            l.add(c.signed());
        }
        return TokenForge.wireText(l);
    }

    static Map<String, Object> ok(String wire, Claims leaf, int links, Instant notAfter, List<Object> requests) {
        byte[] h = Sha256.hash(Domain.CHAIN, wire.getBytes(StandardCharsets.UTF_8));
        return map("ok", true, "subject", leaf.subject.value(), "root", ROOT.id().value(), "links", links,
                "leaf_id", leaf.id, "not_after", time(notAfter), "chain_sha256", Base64Url.encode(h), "requests", requests);
    }

    static Map<String, Object> req(String resource, String action, String result) {
        return map("resource", resource, "action", action, "result", result);
    }

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        String root = wire(rootToAlice());
        v.add(vector("chain/valid-root", "chain", "A root token from a trusted issuer; requests show '*' as one segment, '**' as any tail, and that denials win.",
                input(root), ok(root, rootToAlice(), 1, minutes(24 * 60), List.of(
                        req("tool://mail/read", "read", "allow"),
                        req("tool://calendar/read", "read", "allow"),
                        req("tool://mail/send", "read", "not_granted"),
                        req("tool://mail/read", "write", "not_granted"),
                        req("tool://a/b/read", "read", "not_granted"),
                        req("tool://search", "execute", "allow"),
                        req("file:///data/reports/q3.csv", "read", "allow"),
                        req("file:///data", "write", "allow"),
                        req("file:///database", "read", "not_granted"),
                        req("file:///data/secret/key.pem", "read", "explicitly_denied"),
                        req("tool://pay/refund", "execute", "allow"),
                        req("tool://pay/admin", "execute", "explicitly_denied"),
                        req("tool://pay/admin", "*", "invalid_resource"),
                        req("tool://mail/../pay/admin/read", "read", "invalid_resource"),
                        req("tool://mail/./read", "read", "invalid_resource"),
                        req("tool://mail//read", "read", "invalid_resource"),
                        req("tool://mail%2Fread", "read", "invalid_resource"),
                        req("tool://mail\\read", "read", "invalid_resource"),
                        req("tool://*/read", "read", "invalid_resource"),
                        req("file:///data/reports/", "read", "invalid_resource")))));
        String two = wire(rootToAlice(), aliceToBob());
        v.add(vector("chain/valid-2-links", "chain", "root -> alice -> bob: bob's capability is the narrower child, with an added denial.",
                input(two), ok(two, aliceToBob(), 2, minutes(12 * 60), List.of(
                        req("tool://mail/read", "read", "allow"),
                        req("tool://search", "execute", "not_granted"),
                        req("tool://files/read", "read", "not_granted"),
                        req("file:///data/reports/q3.csv", "read", "allow"),
                        req("file:///data/reports/q3.csv", "write", "not_granted"),
                        req("file:///data/reports/private/salaries.csv", "read", "explicitly_denied"),
                        req("tool://pay/refund", "execute", "allow"),
                        req("tool://pay/admin", "execute", "explicitly_denied")))));
        String four = wire(rootToAlice(), aliceToBob(), bobToCarol(), carolToDave());
        v.add(vector("chain/valid-4-links", "chain", "root -> alice -> bob -> carol -> dave, each link narrower.",
                input(four), ok(four, carolToDave(), 4, minutes(3 * 60), List.of(
                        req("tool://mail/read", "read", "allow"),
                        req("tool://pay/refund", "execute", "not_granted"),
                        req("tool://calendar/read", "read", "not_granted")))));
        Map<String, Object> atCap = input(four);
        atCap.put("max_depth", 3);
        v.add(vector("chain/depth-at-cap", "chain", "Four links end at depth 3, which a cap of 3 allows.",
                atCap, ok(four, carolToDave(), 4, minutes(3 * 60), List.of(req("tool://mail/read", "read", "allow")))));
        Map<String, Object> overCap = input(four);
        overCap.put("max_depth", 2);
        v.add(vector("chain/depth-over-cap", "chain", "The leaf sits at depth 3, above a cap of 2.", overCap, failAt(ReasonCode.DEPTH_EXCEEDED, 3)));
        Map<String, Object> tooMany = input(four);
        tooMany.put("limits", map("max_token_bytes", 65536, "max_links", 3, "max_chain_bytes", 1048576));
        v.add(vector("chain/too-many-links", "chain", "Four links on the wire where at most three are accepted.", tooMany, V.fail(ReasonCode.OVERSIZED)));
        structure(v, root);
        timing(v);
        revocation(v, four);
        return v;
    }

    private static void structure(List<Map<String, Object>> v, String root) {
        Map<String, Object> untrusted = input(root);
        untrusted.put("trusted_roots", List.of(OTHER_ROOT.id().value()));
        v.add(vector("chain/untrusted-root", "chain", "A valid chain whose root issuer is not in the trust store.", untrusted, failAt(ReasonCode.UNTRUSTED_ROOT, 0)));
        Map<String, Object> none = input(root);
        none.put("trusted_roots", List.of());
        v.add(vector("chain/no-trusted-roots", "chain", "An empty trust store trusts nothing.", none, failAt(ReasonCode.UNTRUSTED_ROOT, 0)));
        Claims self = rootToAlice();
        self.issuer = MALLORY;
        v.add(vector("chain/self-issued-root", "chain", "Mallory issues herself a root token; she is not a trusted root.",
                input(wire(self)), failAt(ReasonCode.UNTRUSTED_ROOT, 0)));
        Claims forged = rootToAlice().child("forged", MALLORY, BOB.id());
        v.add(vector("chain/forged-child-by-non-subject", "chain", "Mallory signs a child of alice's token; only alice (the subject) may delegate it.",
                input(wire(rootToAlice(), forged)), failAt(ReasonCode.BROKEN_CHAIN, 1)));
        Map<String, Object> impostor = TokenForge.sign(MALLORY, ALICE.publicKey(), aliceToBob().payload());
        v.add(vector("chain/child-claims-subject-key-signed-by-other", "chain", "A child naming alice as issuer (with alice's key) but signed by mallory.",
                input(TokenForge.wireText(List.of(rootToAlice().signed(), impostor))), failAt(ReasonCode.BAD_SIGNATURE, 1)));
        Map<String, Object> envKey = TokenForge.sign(MALLORY, aliceToBob().payload());
        v.add(vector("chain/envelope-key-differs-from-issuer-key", "chain", "Mallory signs alice's child payload with her own envelope key: the payload's issuer_key is not the signing key.",
                input(TokenForge.wireText(List.of(rootToAlice().signed(), envKey))), failAt(ReasonCode.ID_KEY_MISMATCH, 1)));
        Map<String, Object> idClaim = rootToAlice().map();
        idClaim.put("issuer", MALLORY.id().value());
        v.add(vector("chain/issuer-id-not-derived-from-key", "chain", "The payload's issuer id is mallory's while issuer_key (and signature) are root's.",
                input(TokenForge.wireText(List.of(TokenForge.sign(ROOT, TokenForge.payload(idClaim))))), failAt(ReasonCode.ID_KEY_MISMATCH, 0)));
        Claims badParent = aliceToBob();
        badParent.parent = TokenForge.id("no-such-token");
        v.add(vector("chain/broken-parent-id", "chain", "The child names a parent id other than link 0's id.",
                input(wire(rootToAlice(), badParent)), failAt(ReasonCode.BROKEN_CHAIN, 1)));
        Claims badDepth = aliceToBob();
        badDepth.depth = 2;
        v.add(vector("chain/broken-depth", "chain", "The child claims depth 2 under a depth-0 parent.",
                input(wire(rootToAlice(), badDepth)), failAt(ReasonCode.BROKEN_CHAIN, 1)));
        v.add(vector("chain/first-link-not-root", "chain", "The chain starts with a delegated token (depth 1, with a parent).",
                input(wire(aliceToBob())), failAt(ReasonCode.BROKEN_CHAIN, 0)));
        Claims secondRoot = Claims.root("second-root", ROOT, BOB.id(), minutes(-30), minutes(60)).allow("tool://mail/read", "read");
        v.add(vector("chain/root-in-the-middle", "chain", "A second root token appended as a child has no parent id.",
                input(wire(rootToAlice(), secondRoot)), failAt(ReasonCode.BROKEN_CHAIN, 1)));
        v.add(vector("chain/links-out-of-order", "chain", "Valid links in the wrong order (child first).",
                input(wire(aliceToBob(), rootToAlice())), failAt(ReasonCode.BROKEN_CHAIN, 0)));
    }

    private static void timing(List<Map<String, Object>> v) {
        Map<String, Object> expiredRoot = input(wire(rootToAlice()));
        expiredRoot.put("now", time(minutes(24 * 60 + 1)));
        v.add(vector("chain/expired-root", "chain", "now is after the root's expiry.", expiredRoot, failAt(ReasonCode.EXPIRED, 0)));
        Map<String, Object> atExpiry = input(wire(rootToAlice()));
        atExpiry.put("now", time(minutes(24 * 60)));
        v.add(vector("chain/expires-exactly-now", "chain", "Expiry is exclusive: a token is invalid at exp.", atExpiry, failAt(ReasonCode.EXPIRED, 0)));
        String root = wire(rootToAlice());
        Map<String, Object> justBefore = input(root);
        Instant lastMs = minutes(24 * 60).minusMillis(1);
        justBefore.put("now", time(lastMs));
        v.add(vector("chain/valid-one-ms-before-expiry", "chain", "One millisecond before exp the token is still valid.",
                justBefore, ok(root, rootToAlice(), 1, minutes(24 * 60), List.of(req("tool://mail/read", "read", "allow")))));
        Claims middle = aliceToBob();
        middle.exp = minutes(-5);
        Claims leaf = bobToCarol();
        leaf.parent = middle.id;
        leaf.exp = minutes(-6);
        v.add(vector("chain/expired-middle-link", "chain", "root -> alice -> bob -> carol where alice -> bob expired five minutes ago.",
                input(wire(rootToAlice(), middle, leaf)), failAt(ReasonCode.EXPIRED, 1)));
        Claims future = rootToAlice();
        future.iat = NOW.plusSeconds(31);
        v.add(vector("chain/not-yet-valid", "chain", "Issued 31 s in the future, beyond the 30 s clock-skew allowance.",
                input(wire(future)), failAt(ReasonCode.EXPIRED, 0)));
        Claims skew = rootToAlice();
        skew.iat = NOW.plusSeconds(30);
        String skewWire = wire(skew);
        v.add(vector("chain/issued-within-clock-skew", "chain", "Issued exactly 30 s in the future: within the allowance.",
                input(skewWire), ok(skewWire, skew, 1, minutes(24 * 60), List.of(req("tool://search", "execute", "allow")))));
    }

    private static void revocation(List<Map<String, Object>> v, String four) {
        Map<String, Object> tok = input(four);
        tok.put("revoked_tokens", List.of(bobToCarol().id));
        v.add(vector("chain/revoked-token-middle", "chain", "The bob -> carol token (link 2) is revoked.", tok, failAt(ReasonCode.REVOKED, 2)));
        Map<String, Object> agent = input(four);
        agent.put("revoked_agents", List.of(ALICE.id().value()));
        v.add(vector("chain/revoked-agent", "chain", "alice is revoked: link 0 names her as subject.", agent, failAt(ReasonCode.REVOKED, 0)));
        Map<String, Object> rootRevoked = input(four);
        rootRevoked.put("revoked_agents", List.of(ROOT.id().value()));
        v.add(vector("chain/revoked-root-issuer", "chain", "The trusted root itself is revoked.", rootRevoked, failAt(ReasonCode.REVOKED, 0)));
        Map<String, Object> leaf = input(four);
        leaf.put("revoked_agents", List.of(Fixture.DAVE.id().value()));
        v.add(vector("chain/revoked-leaf-subject", "chain", "dave, the leaf's subject, is revoked.", leaf, failAt(ReasonCode.REVOKED, 3)));
    }
}
