package dev.moat.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.moat.audit.AuditEvent.Decision;
import dev.moat.audit.AuditEvent.Lifecycle;
import dev.moat.audit.AuditEvent.MonitorAlert;
import dev.moat.audit.AuditEvent.Revocation;
import dev.moat.audit.AuditEvent.SandboxRun;
import dev.moat.audit.AuditEvent.SecretResolution;
import dev.moat.audit.AuditEvent.ToolOutcome;
import dev.moat.audit.AuditEvent.Trust;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.json.CanonicalJson;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Event to canonical JSON and back. Parsing is strict: unknown types and fields are refused. */
final class AuditEventCodec {
    private static final Map<String, Set<String>> FIELDS = Map.of(
            Decision.TYPE, Set.of("type", "agent", "resource", "action", "allowed", "stage", "reasonCode", "detail", "messageId",
                    "headerSha256", "payloadSha256", "chainSha256", "arguments", "argumentsTruncated", "signedMessage", "user", "wouldDeny"),
            ToolOutcome.TYPE, Set.of("type", "agent", "resource", "action", "messageId", "status", "resultSha256", "error", "durationMicros"),
            SandboxRun.TYPE, Set.of("type", "agent", "moduleSha256", "fuelUsed", "peakMemoryBytes", "durationMicros", "exit", "reason"),
            SecretResolution.TYPE, Set.of("type", "agent", "handle", "secretNameSha256", "granted", "reason"),
            MonitorAlert.TYPE, Set.of("type", "agent", "rule", "action", "detail"),
            Lifecycle.TYPE, Set.of("type", "kind", "detail", "configSha256"),
            Revocation.TYPE, Set.of("type", "change", "agent", "tokenId", "source", "detail"),
            Trust.TYPE, Set.of("type", "change", "root", "name", "source", "detail"));

    private AuditEventCodec() {}

    /** The canonical JSON object of the event: its fields plus {@code "type"}. */
    static String canonical(AuditEvent event) {
        Map<String, Object> m = new TreeMap<>(event.fields());
        m.put("type", event.type());
        return CanonicalJson.encodeToString(m);
    }

    /** Parses an event object; throws {@link Rejection} on anything unexpected. */
    static AuditEvent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw Rejection.malformed("audit event: expected an object");
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw Rejection.malformed("audit event: missing type");
        }
        String type = typeNode.textValue();
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            throw Rejection.malformed("audit event: unknown type");
        }
        JsonFields f = JsonFields.of(node, "audit event " + type, allowed);
        try {
            return switch (type) {
                case Decision.TYPE -> new Decision(f.optionalString("agent"), f.optionalString("resource"),
                        f.optionalString("action"), f.bool("allowed"), f.optionalString("stage"),
                        f.optionalString("reasonCode"), f.optionalString("detail"), f.optionalString("messageId"),
                        f.optionalString("headerSha256"), f.optionalString("payloadSha256"), f.optionalString("chainSha256"),
                        f.optionalString("arguments"), trueFlag(f, "argumentsTruncated"), f.optionalString("signedMessage"),
                        f.optionalString("user"), trueFlag(f, "wouldDeny"));
                case ToolOutcome.TYPE -> new ToolOutcome(f.optionalString("agent"), f.optionalString("resource"),
                        f.optionalString("action"), f.optionalString("messageId"),
                        ToolOutcome.Status.fromWire(f.string("status")), f.optionalString("resultSha256"),
                        f.optionalString("error"), f.integer("durationMicros"));
                case SandboxRun.TYPE -> new SandboxRun(f.optionalString("agent"), f.optionalString("moduleSha256"),
                        f.optionalInteger("fuelUsed"), f.integer("peakMemoryBytes"), f.integer("durationMicros"),
                        optionalInt(f, "exit"), f.optionalString("reason"));
                case SecretResolution.TYPE -> new SecretResolution(f.optionalString("agent"), f.optionalString("handle"),
                        f.optionalString("secretNameSha256"), f.bool("granted"), f.optionalString("reason"));
                case MonitorAlert.TYPE -> new MonitorAlert(f.optionalString("agent"), f.optionalString("rule"),
                        MonitorAlert.Action.fromWire(f.string("action")), f.optionalString("detail"));
                case Lifecycle.TYPE -> new Lifecycle(Lifecycle.Kind.fromWire(f.string("kind")),
                        f.optionalString("detail"), f.optionalString("configSha256"));
                case Revocation.TYPE -> new Revocation(Revocation.Change.fromWire(f.string("change")),
                        f.optionalString("agent"), f.optionalString("tokenId"), f.optionalString("source"),
                        f.optionalString("detail"));
                case Trust.TYPE -> new Trust(Trust.Change.fromWire(f.string("change")), f.optionalString("root"),
                        f.optionalString("name"), f.optionalString("source"), f.optionalString("detail"));
                default -> throw Rejection.malformed("audit event: unknown type");
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Rejection.malformed("audit event " + type + ": invalid value");
        }
    }

    /** {@code argumentsTruncated} and {@code wouldDeny} are written only as {@code true}; an explicit false is not canonical. */
    private static boolean trueFlag(JsonFields f, String field) {
        if (!f.has(field)) {
            return false;
        }
        if (!f.bool(field)) {
            throw Rejection.malformed("audit event decision: " + field + " is written only as true");
        }
        return true;
    }

    private static Integer optionalInt(JsonFields f, String field) {
        Long v = f.optionalInteger(field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw Rejection.malformed("audit event: field '" + field + "' out of range");
        }
        return v.intValue();
    }
}
