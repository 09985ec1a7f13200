package dev.moat.spec;

import static dev.moat.spec.V.map;
import static dev.moat.spec.V.vector;

import dev.moat.TestKeys;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentKeypair;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Agent ids, domain-separated signatures and hashes, base64url and time text. */
final class PrimitiveVectors {
    private PrimitiveVectors() {}

    static String b64(byte[] b) {
        return Base64Url.encode(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        for (AgentKeypair a : Fixture.AGENTS) {
            v.add(vector("agent-id/" + a.name(), "agent_id", "The id derived from " + a.name() + "'s public key.",
                    map("public_key", a.publicKey().toBase64Url()), map("id", a.id().value())));
        }
        Ed25519PrivateKey root = TestKeys.key("root");
        byte[] msg = utf8("hello moat");
        for (Domain d : List.of(Domain.TOKEN, Domain.MESSAGE)) {
            v.add(vector("signature/" + d.tag().substring("moat/v1/".length()), "signature",
                    "Ed25519 over tag || 0x00 || message with root's seed (signatures are deterministic).",
                    map("seed", b64(TestKeys.seed("root")), "domain", d.tag(), "message", b64(msg)),
                    map("public_key", root.publicKey().toBase64Url(), "signature", b64(root.sign(d, msg)))));
        }
        byte[] tokenSig = root.sign(Domain.TOKEN, msg);
        v.add(vector("verify/same-domain", "verify", "A token-domain signature verifies under the token tag.",
                map("public_key", root.publicKey().toBase64Url(), "domain", "moat/v1/token", "message", b64(msg), "signature", b64(tokenSig)),
                map("valid", true)));
        v.add(vector("verify/other-domain", "verify", "A token-domain signature does not verify under the message tag.",
                map("public_key", root.publicKey().toBase64Url(), "domain", "moat/v1/message", "message", b64(msg), "signature", b64(tokenSig)),
                map("valid", false)));
        v.add(vector("verify/untagged-signature", "verify", "A signature over the bare message does not verify under any tag.",
                map("public_key", root.publicKey().toBase64Url(), "domain", "moat/v1/token", "message", b64(msg), "signature", b64(root.signRaw(msg))),
                map("valid", false)));
        for (Domain d : Domain.values()) {
            v.add(vector("hash/" + d.tag().substring("moat/v1/".length()), "hash", "SHA-256 over tag || 0x00 || message.",
                    map("domain", d.tag(), "message", b64(msg)), map("sha256", b64(Sha256.hash(d, msg)))));
        }
        String[][] b64 = {
            {"empty", "", ""}, {"one-byte", "AQ", "01"}, {"url-alphabet", "-_8", "fbff"}, {"padded", "AQ==", null},
            {"single-pad", "AQ=", null}, {"standard-alphabet", "+/8", null}, {"trailing-bits", "AR", null},
            {"bad-length", "AQIDB", null}, {"whitespace", "AQ ID", null}, {"newline", "AQID\n", null},
        };
        for (String[] c : b64) {
            v.add(vector("base64url/" + c[0], "base64url", "Strict unpadded base64url: " + (c[2] == null ? "refused" : "accepted") + ".",
                    map("text", c[1]), c[2] == null ? map("ok", false) : map("ok", true, "hex", c[2])));
        }
        String[][] times = {
            {"seconds", "2026-11-25T10:00:00Z", "ok"}, {"millis", "2026-11-25T10:00:00.123Z", "ok"},
            {"millis-trailing-zeros", "2026-11-25T10:00:00.100Z", "ok"}, {"zero-millis", "2026-11-25T10:00:00.000Z", null},
            {"short-fraction", "2026-11-25T10:00:00.1Z", null}, {"micros", "2026-11-25T10:00:00.123456Z", null},
            {"offset", "2026-11-25T10:00:00+00:00", null}, {"lowercase", "2026-11-25t10:00:00z", null},
            {"no-seconds", "2026-11-25T10:00Z", null}, {"leap-second", "2026-12-31T23:59:60Z", null},
            {"space", "2026-11-25 10:00:00Z", null},
        };
        for (String[] c : times) {
            Map<String, Object> expect = c[2] == null ? map("ok", false) : map("ok", true, "epoch_ms", Instant.parse(c[1]).toEpochMilli());
            v.add(vector("time/" + c[0], "time", "Canonical RFC 3339 UTC time text.", map("text", c[1]), expect));
        }
        return v;
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
