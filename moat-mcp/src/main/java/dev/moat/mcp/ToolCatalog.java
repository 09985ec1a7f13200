package dev.moat.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.tool.ToolPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What one session knows about the server's tools: the digest each tool was last listed with and
 * whether that definition is approved. {@link #filter} pins a {@code tools/list} result and keeps
 * only tools that are approved and granted; {@link #refusal} says why a tool may not be called.
 * First sight: when the lock file has no entry for the server at session start, definitions are
 * pinned as they are listed until the server announces a change ({@code list_changed}) after a
 * listing; from then on, and in every later session, an unknown tool is new and waits for approval.
 * Each listed tool's input schema is checked against its tool rules: a rule on an argument the
 * schema does not have (a typo) makes the tool unusable in this session, and the operator is told.
 */
final class ToolCatalog {
    /** Reports a definition the lock file refuses (audited and shown to the operator). */
    interface Alerts {
        void refusedDefinition(String tool, PinStatus status);

        /** Reports a tool whose rules name arguments its schema does not have (the tool is refused). */
        default void misconfigured(String tool, String reason) {}
    }

    private final String server;
    private final ToolPins pins;
    private final Predicate<String> granted;
    private final Alerts alerts;
    private final Map<String, String> listed = new ConcurrentHashMap<>();
    private final Map<String, PinStatus> status = new ConcurrentHashMap<>();
    private final Map<String, String> misfits = new ConcurrentHashMap<>();
    private final Function<String, ToolPolicy> policies;
    private volatile boolean firstSight;

    ToolCatalog(String server, ToolPins pins, Predicate<String> granted, Alerts alerts) {
        this(server, pins, granted, alerts, tool -> ToolPolicy.defaults(tool));
    }

    ToolCatalog(String server, ToolPins pins, Predicate<String> granted, Alerts alerts, Function<String, ToolPolicy> policies) {
        this.policies = policies;
        this.server = server;
        this.pins = pins;
        this.granted = granted;
        this.alerts = alerts;
        this.firstSight = !pins.knows(server);
    }

    /**
     * The server announced that its tools changed: once a listing has been pinned in this session,
     * unknown tools are new from now on. (Servers announce changes during start-up too, before any
     * listing, when they register tools that depend on the client's capabilities.)
     */
    void listChanged() {
        if (!listed.isEmpty()) {
            firstSight = false;
        }
    }

    /**
     * Pins the tools of a {@code tools/list} response and removes those the client may not see.
     * Returns the response to send, or {@code null} when its result is malformed (the caller then
     * answers with an error: an unfiltered list never reaches the client).
     */
    ObjectNode filter(ObjectNode response) {
        JsonNode result = response.get("result");
        JsonNode tools = result == null ? null : result.get("tools");
        if (tools == null || !tools.isArray()) {
            return response.has("error") ? response : null;
        }
        java.util.List<ObjectNode> defs = new java.util.ArrayList<>();
        Map<String, String> digests = new java.util.LinkedHashMap<>();
        for (JsonNode t : tools) {
            JsonNode nameNode = t.isObject() ? t.get("name") : null;
            if (nameNode == null || !nameNode.isTextual() || digests.containsKey(nameNode.textValue())) {
                continue; // no name, or a second definition under a name already listed: left out
            }
            defs.add((ObjectNode) t);
            digests.put(nameNode.textValue(), ToolDigest.of((ObjectNode) t));
        }
        Map<String, PinStatus> seen = pins.observeAll(server, digests, firstSight);
        ArrayNode kept = JsonRpc.MAPPER.createArrayNode();
        for (ObjectNode t : defs) {
            String name = t.get("name").textValue();
            PinStatus s = seen.get(name);
            status.put(name, s);
            if (s == PinStatus.UNPINNABLE) {
                listed.remove(name);
            } else {
                listed.put(name, digests.get(name));
            }
            if (!s.usable()) {
                alerts.refusedDefinition(name, s);
                continue;
            }
            checkRules(name, t);
            if (granted.test(name)) {
                kept.add(t);
            }
        }
        ((ObjectNode) result).set("tools", kept);
        return response;
    }

    /** The tool's rules must fit its input schema; a misfit is remembered (its calls are refused) and reported. */
    @SuppressWarnings("unchecked")
    private void checkRules(String name, ObjectNode definition) {
        ToolPolicy policy = policies.apply(name);
        JsonNode schema = definition.get("inputSchema");
        if (policy.arguments().isEmpty() || schema == null || !schema.isObject()) {
            misfits.remove(name);
            return;
        }
        List<String> unknown = policy.unknownArguments(JsonRpc.MAPPER.convertValue(schema, Map.class));
        if (unknown.isEmpty()) {
            misfits.remove(name);
            return;
        }
        String reason = "the policy's tools: entry for " + policy.tool() + " has rules on " + unknown
                + ", which the tool's input schema does not have (a typo?); calls are refused until the policy is fixed.";
        misfits.put(name, reason);
        alerts.misconfigured(name, reason);
    }

    /** Why the tool's rules do not fit its listed schema, or {@code null}. */
    String misfit(String tool) {
        return misfits.get(tool);
    }

    /**
     * {@code null} when {@code tool} was listed in this session with an approved definition (an
     * approval given since the listing is read from the lock file); else why it is refused.
     */
    String refusal(String tool) {
        String digest = listed.get(tool);
        if (digest == null) {
            return "the tool was not listed by the server in this session (list the tools first).";
        }
        PinStatus s = status.get(tool);
        if (s != null && s.usable()) {
            return null;
        }
        if (pins.isApproved(server, tool, digest)) {
            status.put(tool, PinStatus.APPROVED);
            return null;
        }
        return s == PinStatus.CHANGED
                ? "the tool's definition changed since it was pinned; an operator must approve it (moat mcp approve)."
                : "the tool is new to this server's pinned definitions; an operator must approve it (moat mcp approve).";
    }
}
