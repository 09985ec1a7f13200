package dev.moat.spec;

import static dev.moat.spec.V.map;
import static dev.moat.spec.V.vector;

import dev.moat.crypto.Base64Url;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON (PROTOCOL.md section 4): JSON text in, canonical bytes or a typed problem out.
 * Every expected output here is written by hand, not computed by the encoder under test.
 */
final class CanonicalJsonVectors {
    private CanonicalJsonVectors() {}

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        String[][] valid = {
            {"sorted-keys", "{\"b\":1,\"a\":2}", "{\"a\":2,\"b\":1}"},
            {"key-order-is-byte-order", "{\"aa\":1,\"a\":2,\"_\":3,\"B\":4}", "{\"B\":4,\"_\":3,\"a\":2,\"aa\":1}"},
            {"key-order-is-code-point-order", "{\"\\ud83d\\ude00\":1,\"\\uff21\":2}", "{\"\uff21\":2,\"\ud83d\ude00\":1}"},
            {"nested-objects-sorted", "{\"z\":{\"y\":1,\"x\":2},\"a\":[{\"d\":1,\"c\":2}]}", "{\"a\":[{\"c\":2,\"d\":1}],\"z\":{\"x\":2,\"y\":1}}"},
            {"whitespace-removed", " {\n\t\"a\" : [ 1 , 2 ] ,\r\n \"b\" : { } } ", "{\"a\":[1,2],\"b\":{}}"},
            {"escapes-minimal", "[\"\\u0041\",\"\\/\",\"\\n\",\"\\t\",\"\\b\",\"\\f\",\"\\r\",\"\\\"\",\"\\\\\",\"\\u001F\"]",
                    "[\"A\",\"/\",\"\\u000a\",\"\\u0009\",\"\\u0008\",\"\\u000c\",\"\\u000d\",\"\\\"\",\"\\\\\",\"\\u001f\"]"},
            {"del-and-non-ascii-raw", "[\"\\u007f\",\"\\u00e9\",\"\\u20ac\",\"\\u2028\"]", "[\"\u007f\",\"\u00e9\",\"\u20ac\",\"\u2028\"]"},
            {"surrogate-pair-as-utf8", "[\"\\ud83d\\ude00\",\"\\uD83D\\uDE00\"]", "[\"\ud83d\ude00\",\"\ud83d\ude00\"]"},
            {"raw-utf8-kept", "[\"caf\u00e9 \ud83d\ude00\"]", "[\"caf\u00e9 \ud83d\ude00\"]"},
            {"escaped-key-is-the-same-key", "{\"\\u0061\":1}", "{\"a\":1}"},
            {"numbers-kept-as-written", "[0,-0,1.50,1e3,1E+3,-2.5e-7,0.1,12345678901234567890123]",
                    "[0,-0,1.50,1e3,1E+3,-2.5e-7,0.1,12345678901234567890123]"},
            {"number-beyond-double", "[9007199254740993,0.30000000000000000000000000001]", "[9007199254740993,0.30000000000000000000000000001]"},
            {"literals-and-empties", "[{},[],\"\",null,true,false]", "[{},[],\"\",null,true,false]"},
            {"null-member-kept", "{\"a\":null}", "{\"a\":null}"},
            {"top-level-scalar", "\"x\"", "\"x\""},
            {"depth-32", "[".repeat(32) + "]".repeat(32), "[".repeat(32) + "]".repeat(32)},
            {"number-100-characters", "[" + "1".repeat(100) + "]", "[" + "1".repeat(100) + "]"},
        };
        for (String[] c : valid) {
            v.add(vector("canonical/" + c[0], "canonical_json", "Canonicalises to the expected bytes (and the result is its own canonical form).",
                    map("json", c[1]), map("ok", true, "canonical", c[2])));
        }
        String[][] refused = {
            {"lone-high-surrogate", "[\"\\ud800\"]", "lone_surrogate"},
            {"lone-low-surrogate", "[\"\\udc00\"]", "lone_surrogate"},
            {"high-surrogate-then-letter", "[\"\\ud800x\"]", "lone_surrogate"},
            {"reversed-pair", "[\"\\ude00\\ud83d\"]", "lone_surrogate"},
            {"high-surrogate-at-end", "[\"a\\ud83d\"]", "lone_surrogate"},
            {"lone-surrogate-in-key", "{\"\\ud800\":1}", "lone_surrogate"},
            {"duplicate-key", "{\"a\":1,\"a\":2}", "duplicate_key"},
            {"duplicate-key-by-escape", "{\"a\":1,\"\\u0061\":2}", "duplicate_key"},
            {"duplicate-key-nested", "[{\"k\":{\"x\":1,\"x\":1}}]", "duplicate_key"},
            {"depth-33", "[".repeat(33) + "]".repeat(33), "too_deep"},
            {"number-101-characters", "[" + "1".repeat(101) + "]", "number_too_long"},
            {"trailing-value", "{} {}", "invalid_json"},
            {"trailing-garbage", "{}x", "invalid_json"},
            {"comment", "{/*c*/}", "invalid_json"},
            {"trailing-comma", "[1,]", "invalid_json"},
            {"single-quotes", "['a']", "invalid_json"},
            {"unquoted-key", "{a:1}", "invalid_json"},
            {"leading-zero", "[01]", "invalid_json"},
            {"leading-plus", "[+1]", "invalid_json"},
            {"leading-point", "[.5]", "invalid_json"},
            {"trailing-point", "[1.]", "invalid_json"},
            {"empty-exponent", "[1e]", "invalid_json"},
            {"nan", "[NaN]", "invalid_json"},
            {"infinity", "[-Infinity]", "invalid_json"},
            {"raw-tab-in-string", "[\"a\tb\"]", "invalid_json"},
            {"raw-newline-in-string", "[\"a\nb\"]", "invalid_json"},
            {"bad-escape", "[\"\\x41\"]", "invalid_json"},
            {"short-unicode-escape", "[\"\\u12\"]", "invalid_json"},
            {"unterminated", "{\"a\":1", "invalid_json"},
            {"empty-text", "", "invalid_json"},
            {"whitespace-only", " \n", "invalid_json"},
            {"form-feed-is-not-whitespace", "\f{}", "invalid_json"},
            {"no-break-space-is-not-whitespace", "\u00a0{}", "invalid_json"},
            {"byte-order-mark-as-character", "\ufeff{}", "invalid_json"},
        };
        for (String[] c : refused) {
            v.add(vector("canonical/" + c[0], "canonical_json", "Has no canonical form: refused with the given problem, never repaired.",
                    map("json", c[1]), map("ok", false, "error", c[2])));
        }
        String[][] badBytes = {
            {"utf8-byte-order-mark", "efbbbf7b7d"},
            {"utf8-invalid-byte", "5b22ff225d"},
            {"utf8-overlong-slash", "5b22c0af225d"},
            {"utf8-encoded-surrogate", "5b22eda080225d"},
            {"utf8-cesu-pair", "5b22eda0bdedb880225d"},
            {"utf8-truncated-sequence", "5b22e282225d"},
            {"utf8-beyond-u10ffff", "5b22f4908080225d"},
        };
        for (String[] c : badBytes) {
            v.add(vector("canonical/" + c[0], "canonical_json", "Not strict UTF-8: refused (input given as bytes, base64url).",
                    map("json_b64", Base64Url.encode(HexFormat.of().parseHex(c[1]))), map("ok", false, "error", "invalid_json")));
        }
        v.add(vector("canonical/arguments-object", "canonical_json", "Tool arguments: an object is required at the top.",
                map("json", "{\"to\":\"bob\",\"amount\":12.50}", "object", true), map("ok", true, "canonical", "{\"amount\":12.50,\"to\":\"bob\"}")));
        v.add(vector("canonical/arguments-not-an-object", "canonical_json", "Tool arguments: an array at the top is refused.",
                map("json", "[1]", "object", true), map("ok", false, "error", "not_an_object")));
        return v;
    }
}
