package dev.moat.spec;

import static dev.moat.spec.Fixture.ALICE;
import static dev.moat.spec.Fixture.BOB;
import static dev.moat.spec.Fixture.MALLORY;
import static dev.moat.spec.Fixture.NOW;
import static dev.moat.spec.Fixture.ROOT;
import static dev.moat.spec.Fixture.aliceToBob;
import static dev.moat.spec.Fixture.rootToAlice;
import static dev.moat.spec.V.fail;
import static dev.moat.spec.V.map;
import static dev.moat.spec.V.time;
import static dev.moat.spec.V.vector;

import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.json.CanonicalJson;
import dev.moat.message.MessageForge;
import dev.moat.policy.PolicyBinding;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenForge.Claims;
import dev.moat.token.TokenForge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Message vectors: bob calls tool://mail/read under the root -> alice -> bob chain. */
final class MessageVectors {
    static final PolicyBinding POLICY = PolicyBinding.of("default", "policy v1".getBytes(StandardCharsets.UTF_8));
    static final byte[] BODY = "{\"folder\":\"inbox\"}".getBytes(StandardCharsets.UTF_8);
    static final long SEQ = NOW.getEpochSecond() * 1_000_000L;
    static final String ID = MessageForge.id("bob-reads-mail");

    private MessageVectors() {}

    static TokenChain bobChain() {
        return TokenForge.chain(List.of(rootToAlice().signed(), aliceToBob().signed()));
    }

    static byte[] header(AgentId sender, TokenChain chain) {
        return MessageForge.header(ID, sender, "mail-server", "tool://mail/read", "read", BODY, chain, POLICY, SEQ, NOW);
    }

    static Map<String, Object> input(String wire) {
        return map("limits", map("max_body_bytes", 1048576, "max_envelope_bytes", 3145728,
                "max_token_bytes", 65536, "max_links", 16, "max_chain_bytes", 1048576), "message", wire);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static String signed(AgentKeypair signer, byte[] header, byte[] body, TokenChain chain) {
        return text(MessageForge.signed(signer, header, body, chain));
    }

    /** A valid message's envelope with one field replaced. */
    static String envelopeField(String field, String value) {
        String w = signed(BOB, header(BOB.id(), bobChain()), BODY, bobChain());
        String from = "\"" + field + "\":\"";
        int at = w.lastIndexOf(from) + from.length(); // the envelope's own field comes after the chain's
        return w.substring(0, at) + value + w.substring(w.indexOf('"', at));
    }

    /** A header edited as text, then signed by bob. */
    static String resignedHeader(String from, String to) {
        String h = text(header(BOB.id(), bobChain()));
        if (!h.contains(from)) {
            throw new IllegalStateException("not found: " + from);
        }
        return signed(BOB, h.replace(from, to).getBytes(StandardCharsets.UTF_8), BODY, bobChain());
    }

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        TokenChain chain = bobChain();
        String valid = signed(BOB, header(BOB.id(), chain), BODY, chain);
        v.add(vector("message/valid", "message", "bob signs a call to tool://mail/read carrying his own chain.", input(valid),
                map("ok", true, "id", ID, "sender", BOB.id().value(), "recipient", "mail-server", "aud", MessageForge.AUDIENCE, "resource", "tool://mail/read",
                        "action", "read", "seq", SEQ, "ts", time(NOW), "policy_id", "default", "policy_sha256", POLICY.sha256Base64Url(),
                        "body_sha256", Base64Url.encode(Sha256.hash(Domain.PAYLOAD, BODY)),
                        "chain_sha256", Base64Url.encode(chain.hash()), "leaf_subject", BOB.id().value())));
        v.add(vector("message/bearer-use-by-stranger", "message", "mallory replays bob's chain in a message she signs herself.",
                input(signed(MALLORY, header(MALLORY.id(), chain), BODY, chain)), fail(ReasonCode.NOT_SUBJECT)));
        v.add(vector("message/bearer-use-by-delegator", "message", "alice, who delegated to bob, uses bob's leaf token.",
                input(signed(ALICE, header(ALICE.id(), chain), BODY, chain)), fail(ReasonCode.NOT_SUBJECT)));
        v.add(vector("message/body-digest-mismatch", "message", "The body is swapped after signing.",
                input(signed(BOB, header(BOB.id(), chain), "{\"folder\":\"sent\"}".getBytes(StandardCharsets.UTF_8), chain)),
                fail(ReasonCode.DIGEST_MISMATCH)));
        Claims direct = Claims.root("root-to-bob", ROOT, BOB.id(), Fixture.minutes(-60), Fixture.minutes(60)).allow("tool://**", "*");
        TokenChain other = TokenForge.chain(List.of(direct.signed()));
        v.add(vector("message/chain-digest-mismatch", "message", "The signed header names bob's chain; the envelope carries another chain for bob.",
                input(signed(BOB, header(BOB.id(), chain), BODY, other)), fail(ReasonCode.DIGEST_MISMATCH)));
        byte[] tokenPayload = rootToAlice().payload();
        byte[] tokenSig = ROOT.sign(Domain.TOKEN, tokenPayload);
        v.add(vector("message/token-signature-as-message", "message", "A token payload and its token signature presented as a message header and signature.",
                input(text(MessageForge.envelope(ROOT.publicKey().bytes(), tokenPayload, tokenSig, BODY, chain).encode())),
                fail(ReasonCode.BAD_SIGNATURE)));
        byte[] h = header(BOB.id(), chain);
        v.add(vector("message/header-signed-with-token-tag", "message", "bob signs the header under moat/v1/token instead of moat/v1/message.",
                input(text(MessageForge.envelope(BOB.publicKey().bytes(), h, BOB.sign(Domain.TOKEN, h), BODY, chain).encode())),
                fail(ReasonCode.BAD_SIGNATURE)));
        byte[] sig = BOB.sign(Domain.MESSAGE, h);
        byte[] flipped = sig.clone();
        flipped[63] ^= 0x40;
        v.add(vector("message/sig-flipped-byte", "message", "One bit of the message signature is flipped.",
                input(envelopeField("sig", Base64Url.encode(flipped))), fail(ReasonCode.BAD_SIGNATURE)));
        v.add(vector("message/sig-truncated", "message", "The message signature is 32 bytes.",
                input(envelopeField("sig", Base64Url.encode(Arrays.copyOf(sig, 32)))), fail(ReasonCode.BAD_SIGNATURE)));
        String altered = text(h).replace("tool://mail/read", "tool://pay/send");
        v.add(vector("message/header-altered", "message", "The resource in the header is changed without re-signing.",
                input(envelopeField("msg", Base64Url.encode(altered.getBytes(StandardCharsets.UTF_8)))), fail(ReasonCode.BAD_SIGNATURE)));
        v.add(vector("message/sender-id-not-key", "message", "bob signs a header naming alice as sender.",
                input(signed(BOB, header(ALICE.id(), chain), BODY, chain)), fail(ReasonCode.ID_KEY_MISMATCH)));
        malformed(v, valid);
        return v;
    }

    private static void malformed(List<Map<String, Object>> v, String valid) {
        v.add(vector("message/unknown-envelope-field", "message", "The envelope has an undefined field.",
                input(lastReplace(valid, ",\"v\":1}", ",\"x\":0,\"v\":1}")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/duplicate-envelope-key", "message", "The envelope repeats the key v.",
                input(valid.substring(0, valid.length() - 1) + ",\"v\":1}"), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/envelope-not-canonical", "message", "The envelope has insignificant whitespace.",
                input("{ " + valid.substring(1)), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/envelope-version-2", "message", "An unsupported envelope version.",
                input(lastReplace(valid, ",\"v\":1}", ",\"v\":2}")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/body-bad-base64", "message", "The body uses padded base64.",
                input(envelopeField("body", Base64Url.encode(BODY) + "=")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/sender-key-wrong-length", "message", "The sender key is 33 bytes.",
                input(envelopeField("key", Base64Url.encode(Arrays.copyOf(BOB.publicKey().bytes(), 33)))), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-unknown-field", "message", "The signed header has an undefined field.",
                input(resignedHeader("\"action\":", "\"admin\":true,\"action\":")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-duplicate-key", "message", "The signed header repeats the key seq.",
                input(resignedHeader("\"seq\":", "\"seq\":0,\"seq\":")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-without-audience", "message", "A header without aud (the PEP it is for), signed: refused as malformed.",
                input(resignedHeader("\"aud\":\"" + MessageForge.AUDIENCE + "\",", "")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-bad-audience", "message", "An aud that breaks the recipient grammar, signed.",
                input(resignedHeader("\"aud\":\"" + MessageForge.AUDIENCE + "\"", "\"aud\":\" pep\"")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-not-canonical", "message", "The signed header has insignificant whitespace.",
                input(resignedHeader("\"action\":", " \"action\":")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-bad-time", "message", "The signed header's timestamp is not RFC 3339 UTC with Z.",
                input(resignedHeader("\"ts\":\"2026-11-25T10:00:00Z\"", "\"ts\":\"2026-11-25 10:00:00\"")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-negative-seq", "message", "The signed header's sequence number is negative.",
                input(resignedHeader("\"seq\":" + SEQ, "\"seq\":-1")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/header-short-id", "message", "The message id is 8 bytes, not 16.",
                input(resignedHeader("\"id\":\"" + ID + "\"", "\"id\":\"AAAAAAAAAAA\"")), fail(ReasonCode.MALFORMED)));
        v.add(vector("message/chain-unknown-field", "message", "The embedded chain has an undefined field.",
                input(valid.replace("],\"v\":1},\"key\":", "],\"x\":0,\"v\":1},\"key\":")), fail(ReasonCode.MALFORMED)));
        sizes(v, valid);
    }

    private static void sizes(List<Map<String, Object>> v, String valid) {
        Map<String, Object> body = input(valid);
        cast(body.get("limits")).put("max_body_bytes", 16);
        v.add(vector("message/body-over-limit", "message", "An 18-byte body where at most 16 are accepted.", body, fail(ReasonCode.OVERSIZED)));
        Map<String, Object> env = input(valid);
        cast(env.get("limits")).put("max_envelope_bytes", 1024);
        v.add(vector("message/envelope-over-limit", "message", "The envelope is larger than max_envelope_bytes (1024).", env, fail(ReasonCode.OVERSIZED)));
        Map<String, Object> hm = MessageForge.headerMap(header(BOB.id(), bobChain()));
        hm.put("pad", "x".repeat(9000));
        v.add(vector("message/header-over-limit", "message", "A signed header of more than 8192 bytes.",
                input(signed(BOB, CanonicalJson.encode(hm), BODY, bobChain())), fail(ReasonCode.OVERSIZED)));
    }

    private static String lastReplace(String s, String from, String to) {
        int at = s.lastIndexOf(from);
        return s.substring(0, at) + to + s.substring(at + from.length());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
