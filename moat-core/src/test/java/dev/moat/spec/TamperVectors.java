package dev.moat.spec;

import static dev.moat.spec.ChainVectors.input;
import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.rootToAlice;
import static dev.moat.spec.V.fail;
import static dev.moat.spec.V.failAt;
import static dev.moat.spec.V.map;
import static dev.moat.spec.V.vector;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.token.TokenForge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Chain vectors with tampered bytes: encoding, canonical form, signatures, sizes, traversal. */
final class TamperVectors {
    private TamperVectors() {}

    private static String rootWire() {
        return TokenForge.wireText(List.of(rootToAlice().signed()));
    }

    /** The root link with its payload text edited and then re-signed by root (so only the parser can object). */
    private static String resignedPayload(UnaryOperator<String> edit) {
        String payload = new String(rootToAlice().payload(), StandardCharsets.UTF_8);
        String edited = edit.apply(payload);
        if (edited.equals(payload)) {
            throw new IllegalStateException("edit changed nothing");
        }
        return TokenForge.wireText(List.of(TokenForge.sign(ROOT, edited.getBytes(StandardCharsets.UTF_8))));
    }

    private static String replaceOnce(String s, String from, String to) {
        int at = s.indexOf(from);
        if (at < 0) {
            throw new IllegalStateException("not found: " + from);
        }
        return s.substring(0, at) + to + s.substring(at + from.length());
    }

    /** The root link with one link field replaced. */
    private static String linkField(String field, String value) {
        Map<String, Object> link = rootToAlice().signed();
        link.put(field, value);
        return TokenForge.wireText(List.of(link));
    }

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        String w = rootWire();
        v.add(vector("tamper/not-json", "chain", "Bytes that are not JSON.", input("chain?"), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/empty-input", "chain", "Zero bytes.", input(""), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/empty-chain", "chain", "A chain with no links.", input("{\"chain\":[],\"v\":1}"), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/chain-version-2", "chain", "An unsupported chain version.", input(replaceOnce(w, "\"v\":1}", "\"v\":2}")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/chain-duplicate-key", "chain", "The chain object repeats the key v.", input(replaceOnce(w, "\"v\":1}", "\"v\":1,\"v\":1}")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/chain-unknown-field", "chain", "The chain object has a field the protocol does not define.", input(replaceOnce(w, ",\"v\":1}", ",\"x\":1,\"v\":1}")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/chain-not-canonical", "chain", "The chain wire form has insignificant whitespace.", input(replaceOnce(w, "{\"chain\":", "{\"chain\": ")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/chain-deep-nesting", "chain", "Nesting far beyond any valid chain.", input("[".repeat(200) + "]".repeat(200)), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/link-unknown-field", "chain", "A link object with an extra field.", input(linkField("note", "x")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/link-missing-sig", "chain", "A link object without its signature.", input(replaceOnce(w, ",\"sig\":\"", ",\"gis\":\"")), fail(ReasonCode.MALFORMED)));
        Map<String, Object> link = rootToAlice().signed();
        String sig = (String) link.get("sig");
        v.add(vector("tamper/sig-base64-padding", "chain", "The signature carries base64 '=' padding.", input(linkField("sig", sig + "==")), fail(ReasonCode.MALFORMED)));
        v.add(vector("tamper/sig-base64-standard-alphabet", "chain", "The signature uses '+' from the standard alphabet.", input(linkField("sig", "+" + sig.substring(1))), fail(ReasonCode.MALFORMED)));
        char last = sig.charAt(sig.length() - 1);
        String nonCanonical = sig.substring(0, sig.length() - 1) + (char) (last == 'A' ? 'B' : last == 'Q' ? 'R' : last + 1);
        v.add(vector("tamper/sig-base64-trailing-bits", "chain", "The signature's last base64url character has non-zero unused bits.", input(linkField("sig", nonCanonical)), fail(ReasonCode.MALFORMED)));
        byte[] sigBytes = Base64Url.decode(sig);
        v.add(vector("tamper/sig-truncated", "chain", "The signature is 63 bytes.", input(linkField("sig", Base64Url.encode(Arrays.copyOf(sigBytes, 63)))), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        v.add(vector("tamper/sig-empty", "chain", "The signature is empty.", input(linkField("sig", "")), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        byte[] flipped = sigBytes.clone();
        flipped[10] ^= 0x01;
        v.add(vector("tamper/sig-flipped-byte", "chain", "One bit of the signature is flipped.", input(linkField("sig", Base64Url.encode(flipped))), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        Map<String, Object> altered = rootToAlice().map();
        altered.put("subject", Fixture.MALLORY.id().value());
        v.add(vector("tamper/payload-altered", "chain", "The subject is changed to mallory without re-signing.",
                input(linkField("payload", Base64Url.encode(TokenForge.payload(altered)))), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        byte[] payload = rootToAlice().payload();
        v.add(vector("tamper/wrong-domain-message-tag", "chain", "The payload is signed under moat/v1/message instead of moat/v1/token.",
                input(linkField("sig", Base64Url.encode(ROOT.sign(Domain.MESSAGE, payload)))), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        v.add(vector("tamper/wrong-domain-no-tag", "chain", "The payload is signed bare, without any domain tag.",
                input(linkField("sig", Base64Url.encode(TestKeysAccess.signRaw("root", payload)))), failAt(ReasonCode.BAD_SIGNATURE, 0)));
        v.add(vector("tamper/key-wrong-length", "chain", "The envelope key is 31 bytes.",
                input(linkField("key", Base64Url.encode(Arrays.copyOf(ROOT.publicKey().bytes(), 31)))), failAt(ReasonCode.MALFORMED, 0)));
        byte[] identity = new byte[32];
        identity[0] = 1;
        v.add(vector("tamper/key-small-order", "chain", "The envelope key is the identity point (small order).",
                input(linkField("key", Base64Url.encode(identity))), failAt(ReasonCode.MALFORMED, 0)));
        sizes(v, w);
        payloads(v);
        return v;
    }

    private static void sizes(List<Map<String, Object>> v, String w) {
        Map<String, Object> token = input(w);
        token.put("limits", map("max_token_bytes", 512, "max_links", 16, "max_chain_bytes", 1048576));
        v.add(vector("size/token-over-limit", "chain", "A link payload larger than max_token_bytes (512).", token, fail(ReasonCode.OVERSIZED)));
        Map<String, Object> chain = input(w);
        chain.put("limits", map("max_token_bytes", 65536, "max_links", 16, "max_chain_bytes", 1024));
        v.add(vector("size/chain-over-limit", "chain", "Chain wire bytes larger than max_chain_bytes (1024).", chain, fail(ReasonCode.OVERSIZED)));
    }

    private static void payloads(List<Map<String, Object>> v) {
        v.add(vector("payload/duplicate-key", "chain", "The signed payload repeats the key v.",
                input(resignedPayload(p -> replaceOnce(p, "\"v\":1}", "\"v\":1,\"v\":1}"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/unknown-field", "chain", "The signed payload has a field the protocol does not define.",
                input(resignedPayload(p -> replaceOnce(p, "{\"allow\":", "{\"admin\":true,\"allow\":"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/unknown-limit-field", "chain", "The limits object has an undefined field.",
                input(resignedPayload(p -> replaceOnce(p, "\"fs_read\":", "\"fs_exec\":[],\"fs_read\":"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/version-2", "chain", "The payload declares version 2.",
                input(resignedPayload(p -> replaceOnce(p, "\"v\":1}", "\"v\":2}"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/whitespace", "chain", "The signed payload has insignificant whitespace.",
                input(resignedPayload(p -> replaceOnce(p, "{\"allow\":", "{ \"allow\":"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/keys-unsorted", "chain", "The signed payload's keys are not sorted.",
                input(resignedPayload(p -> "{\"v\":1," + replaceOnce(p, ",\"v\":1}", "}").substring(1))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/actions-unsorted", "chain", "A scope lists its actions out of order.",
                input(resignedPayload(p -> replaceOnce(p, "[\"read\",\"write\"]", "[\"write\",\"read\"]"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/escaped-letter", "chain", "A string escapes a plain letter (\\u0061), which canonical JSON never does.",
                input(resignedPayload(p -> replaceOnce(p, "\"subject\":\"agent:", "\"subject\":\"\\u0061gent:"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/time-not-canonical", "chain", "iat carries a zero millisecond fraction.",
                input(resignedPayload(p -> replaceOnce(p, "\"iat\":\"2026-11-25T09:00:00Z\"", "\"iat\":\"2026-11-25T09:00:00.000Z\""))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/time-offset", "chain", "exp uses +00:00 instead of Z.",
                input(resignedPayload(p -> replaceOnce(p, "\"exp\":\"2026-11-26T10:00:00Z\"", "\"exp\":\"2026-11-26T10:00:00+00:00\""))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/float-limit", "chain", "The fuel limit is a float.",
                input(resignedPayload(p -> replaceOnce(p, "\"fuel\":1000000", "\"fuel\":1000000.5"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/negative-limit", "chain", "The fuel limit is negative.",
                input(resignedPayload(p -> replaceOnce(p, "\"fuel\":1000000", "\"fuel\":-1"))), failAt(ReasonCode.MALFORMED, 0)));
        v.add(vector("payload/expiry-not-after-issue", "chain", "exp equals iat.",
                input(resignedPayload(p -> replaceOnce(p, "\"exp\":\"2026-11-26T10:00:00Z\"", "\"exp\":\"2026-11-25T09:00:00Z\""))), failAt(ReasonCode.MALFORMED, 0)));
        String[][] patterns = {
            {"dotdot", "tool://pay/../admin"}, {"dot", "tool://./search"}, {"empty-segment", "tool://pay//admin"},
            {"percent-encoded-slash", "tool://pay%2Fadmin"}, {"backslash", "tool://pay\\\\admin"},
            {"partial-wildcard", "tool://pay*"}, {"tail-wildcard-not-last", "tool://**/admin"}, {"no-scheme", "search"},
        };
        for (String[] p : patterns) {
            v.add(vector("payload/pattern-" + p[0], "chain", "An allow pattern that is not in normal form: " + p[1].replace("\\\\", "\\"),
                    input(resignedPayload(s -> replaceOnce(s, "\"resource\":\"tool://search\"", "\"resource\":\"" + p[1] + "\""))),
                    failAt(ReasonCode.MALFORMED, 0)));
        }
        Map<String, Object> bad = aliceToBob().map();
        bad.remove("parent");
        v.add(vector("payload/child-without-parent", "chain", "A depth-1 token without a parent field.",
                input(TokenForge.wireText(List.of(rootToAlice().signed(), TokenForge.sign(Fixture.ALICE, TokenForge.payload(bad))))),
                failAt(ReasonCode.MALFORMED, 1)));
    }
}
