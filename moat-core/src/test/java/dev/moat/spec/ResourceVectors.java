package dev.moat.spec;

import static dev.moat.spec.V.map;
import static dev.moat.spec.V.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resource normal form, pattern syntax, matching and coverage: no crypto needed. */
final class ResourceVectors {
    private ResourceVectors() {}

    static List<Map<String, Object>> all() {
        List<Map<String, Object>> v = new ArrayList<>();
        String[][] resources = {
            {"tool", "tool://search", "true"}, {"tool-nested", "tool://mail/read", "true"}, {"file-absolute", "file:///data/x.csv", "true"},
            {"scheme-chars", "mcp+v2.x-y://server/tool_name", "true"}, {"unicode", "tool://caf\u00e9", "true"},
            {"dotdot", "tool://a/../b", "false"}, {"dot", "tool://a/./b", "false"}, {"leading-dotdot", "file:///../etc/passwd", "false"},
            {"empty-segment", "tool://a//b", "false"}, {"trailing-slash", "tool://a/", "false"}, {"double-leading-slash", "file:////etc", "false"},
            {"percent-slash", "tool://a%2Fb", "false"}, {"percent-dot", "tool://a/%2e%2e/b", "false"}, {"backslash", "tool://a\\b", "false"},
            {"backslash-traversal", "file:///data\\..\\etc", "false"}, {"space", "tool://a b", "false"}, {"tab", "tool://a\tb", "false"},
            {"nul", "tool://a\u0000b", "false"}, {"em-space", "tool://a\u2003b", "false"}, {"no-break-space", "tool://a\u00a0b", "false"},
            {"zero-width-space", "tool://pay\u200b", "false"}, {"bidi-override", "tool://\u202eyap", "false"},
            {"tag-character", "tool://pay/admin\udb40\udc01", "false"}, {"tag-character-inside", "tool://pay/ad\udb40\udc61min", "false"},
            {"variation-selector", "tool://pay/admin\ufe0f", "false"}, {"hangul-filler", "tool://pay/\u3164", "false"},
            {"combining-grapheme-joiner", "tool://pay/a\u034fdmin", "false"}, {"soft-hyphen", "tool://pay/ad\u00admin", "false"},
            {"bidi-isolate", "tool://pay/\u2066admin\u2069", "false"}, {"arabic-letter-mark", "tool://pay/\u061cadmin", "false"},
            {"word-joiner", "tool://pay\u2060/admin", "false"}, {"byte-order-mark", "tool://\ufeffpay", "false"},
            {"non-bmp-letter", "tool://files/\ud801\udc00", "true"}, {"cjk", "tool://\u6587\u4ef6/read", "true"}, {"wildcard", "tool://*", "false"},
            {"no-path", "tool://", "false"}, {"no-scheme", "search", "false"}, {"empty", "", "false"},
            {"uppercase-scheme", "Tool://search", "false"}, {"digit-first-scheme", "1tool://search", "false"},
            {"too-long", "tool://" + "a".repeat(1020), "false"}, {"max-length", "tool://" + "a".repeat(1017), "true"},
            {"too-many-segments", "tool://" + "a/".repeat(64) + "a", "false"}, {"max-segments", "tool://" + "a/".repeat(63) + "a", "true"},
        };
        for (String[] r : resources) {
            v.add(vector("resource/" + r[0], "resource", "Is this a requested resource in normal form?",
                    map("resource", r[1]), map("valid", Boolean.parseBoolean(r[2]))));
        }
        String[][] patterns = {
            {"one-segment-wildcard", "tool://*/read", "true"}, {"tail", "file:///data/**", "true"}, {"all-tools", "tool://**", "true"},
            {"exact", "tool://search", "true"}, {"tail-not-last", "tool://a/**/b", "false"}, {"partial-star", "tool://a*", "false"},
            {"star-prefix", "tool://*a", "false"}, {"triple-star", "tool://***", "false"}, {"dotdot", "tool://a/../b", "false"},
            {"percent", "tool://a%2F*", "false"}, {"empty-segment", "tool://*//read", "false"}, {"long-scheme", "a".repeat(33) + "://x", "false"},
        };
        for (String[] p : patterns) {
            v.add(vector("pattern/" + p[0], "pattern", "Is this a resource pattern in normal form?",
                    map("pattern", p[1]), map("valid", Boolean.parseBoolean(p[2]))));
        }
        String[][] matches = {
            {"tool://*/read", "tool://mail/read", "true"}, {"tool://*/read", "tool://mail/write", "false"},
            {"tool://*/read", "tool://mail/read/all", "false"}, {"tool://*/read", "tool://read", "false"},
            {"tool://*", "tool://a", "true"}, {"tool://*", "tool://a/b", "false"},
            {"file:///data/**", "file:///data", "true"}, {"file:///data/**", "file:///data/a/b/c", "true"},
            {"file:///data/**", "file:///database", "false"}, {"file:///data/**", "file:///other", "false"},
            {"tool://**", "tool://x/y/z", "true"}, {"tool://**", "file:///x", "false"}, {"tool://search", "tool://search", "true"},
            {"tool://search", "tool://searchx", "false"}, {"tool://search", "tool://search/x", "false"},
            {"file:///*", "file:///x", "true"}, {"file://*", "file:///x", "false"}, {"tool://a/*/c", "tool://a/b/c", "true"},
            {"tool://a/*/c", "tool://a/b/d", "false"}, {"tool://pay/**", "tool://payments", "false"},
        };
        int i = 0;
        for (String[] m : matches) {
            v.add(vector(String.format("match/%02d", i++), "match", "Does " + m[0] + " match " + m[1] + "?",
                    map("pattern", m[0], "resource", m[1]), map("matches", Boolean.parseBoolean(m[2]))));
        }
        String[][] covers = {
            {"tool://**", "tool://*/read", "true"}, {"tool://*/read", "tool://mail/read", "true"},
            {"tool://mail/read", "tool://*/read", "false"}, {"tool://a/**", "tool://a", "true"}, {"tool://a/**", "tool://a/b/**", "true"},
            {"tool://a/*", "tool://a/**", "false"}, {"tool://*", "tool://**", "false"}, {"file:///data/**", "file:///data/reports/**", "true"},
            {"file:///data/reports/**", "file:///data/**", "false"}, {"tool://*/read", "file:///x/read", "false"},
            {"file://*", "file:///x", "false"}, {"tool://a", "tool://a", "true"}, {"tool://*/*", "tool://*/read", "true"},
        };
        i = 0;
        for (String[] c : covers) {
            v.add(vector(String.format("covers/%02d", i++), "covers", "Does " + c[0] + " cover everything " + c[1] + " matches?",
                    map("broader", c[0], "narrower", c[1]), map("covers", Boolean.parseBoolean(c[2]))));
        }
        return v;
    }
}
