package dev.moat.spec;

import dev.moat.check.ReasonCode;
import dev.moat.internal.TimeFormat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small builders for vector JSON (insertion-ordered maps, so the files read top-down). */
final class V {
    private V() {}

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> vector(String name, String kind, String description, Map<String, Object> input, Map<String, Object> expect) {
        return map("name", name, "kind", kind, "description", description, "input", input, "expect", expect);
    }

    static Map<String, Object> fail(ReasonCode code) {
        return map("ok", false, "code", code.code());
    }

    static Map<String, Object> failAt(ReasonCode code, int link) {
        return map("ok", false, "code", code.code(), "link", link);
    }

    static Map<String, Object> broadened(int link, String rule) {
        return map("ok", false, "code", ReasonCode.BROADENED.code(), "link", link, "rule", rule);
    }

    static String time(Instant t) {
        return TimeFormat.format(t);
    }
}
