package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.pep.Decision;

/** A client request forwarded to the server and not yet answered. */
sealed interface Pending {
    JsonNode id();

    String method();

    long startNanos();

    /** An allowed {@code tools/call}: its outcome is audited when the answer comes. */
    record ToolCall(JsonNode id, String tool, Decision.Allow allow, long startNanos) implements Pending {
        @Override
        public String method() {
            return "tools/call";
        }
    }

    /** A {@code tools/list}: its result is pinned and filtered before the client sees it. */
    record ToolList(JsonNode id, long startNanos) implements Pending {
        @Override
        public String method() {
            return "tools/list";
        }
    }

    /** Any other request: its answer is relayed unchanged. */
    record Other(JsonNode id, String method, long startNanos) implements Pending {}
}
