package dev.moat.cli;

import dev.moat.internal.DisplayText;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One audit line as people read it. Display only: nothing here checks hashes. */
final class EntryView {
    private final JsonNode node;

    private EntryView(JsonNode node) {
        this.node = node;
    }

    static EntryView parse(String line) {
        try {
            JsonNode n = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            if (n == null || !n.isObject() || !n.path("index").canConvertToLong() || !n.path("event").isObject()) {
                throw CliException.denied("malformed", "not an audit entry line");
            }
            return new EntryView(n);
        } catch (IOException e) {
            throw CliException.denied("malformed", "not an audit entry line (invalid JSON)");
        }
    }

    JsonNode node() {
        return node;
    }

    long index() {
        return node.path("index").asLong();
    }

    String type() {
        return node.path("event").path("type").asText("?");
    }

    /**
     * {@code #12  2026-...Z  decision  reviewer read tool://repo/x  denied not_granted}; an
     * audit-only decision reads {@code would-deny capability/not_granted (audit-only: allowed)}.
     */
    String summary(Style s) {
        JsonNode e = node.path("event");
        List<String> parts = new ArrayList<>();
        parts.add(String.format("#%-6d", index()));
        parts.add(DisplayText.escape(node.path("time").asText()));
        parts.add(String.format("%-13s", DisplayText.escape(type())));
        for (String f : List.of("agent", "action", "resource", "kind", "rule", "handle", "moduleSha256", "change", "root")) {
            if (e.hasNonNull(f)) {
                parts.add(clip(DisplayText.escape(e.get(f).asText()), 60));
            }
        }
        if (e.hasNonNull("user")) { // the end user the call was made for (stored escaped; escaped again for old or forged lines)
            parts.add("for " + clip(DisplayText.escape(e.get("user").asText()), 40));
        }
        if (e.has("allowed")) {
            boolean allowed = e.get("allowed").asBoolean();
            String reason = DisplayText.escape(e.path("stage").asText("") + "/" + e.path("reasonCode").asText(""));
            if (e.path("wouldDeny").asBoolean(false)) { // audit-only mode: allowed and ran, enforce would deny
                parts.add(s.yellow("would-deny " + reason + " (audit-only: allowed)"));
            } else {
                parts.add(allowed ? s.green("allowed") : s.red("denied " + DisplayText.escape(e.path("reasonCode").asText(""))));
            }
        } else if (e.has("status")) {
            parts.add(DisplayText.escape(e.get("status").asText()));
        } else if (e.has("granted")) {
            parts.add(e.get("granted").asBoolean() ? s.green("granted") : s.red("refused"));
        }
        return String.join("  ", parts);
    }

    /** Field per line, long values clipped unless {@code full}. */
    List<String> details(boolean full) {
        List<String> out = new ArrayList<>();
        out.add("  time          " + DisplayText.escape(node.path("time").asText()));
        out.add("  type          " + DisplayText.escape(type()));
        for (Map.Entry<String, JsonNode> f : node.path("event").properties()) {
            if (f.getKey().equals("type")) {
                continue;
            }
            // agent-controlled text: escape controls and invisible characters before a terminal sees them
            String v = DisplayText.escape(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
            out.add(String.format("  %-13s %s", DisplayText.escape(f.getKey()), full ? v : clip(v, 100)));
        }
        out.add("  prev          " + DisplayText.escape(node.path("prev").asText()));
        out.add("  hash          " + DisplayText.escape(node.path("hash").asText()));
        return out;
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "... (" + s.length() + " chars)";
    }
}
