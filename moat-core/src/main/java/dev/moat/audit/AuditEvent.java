package dev.moat.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link AuditEntry} records. Each case has a stable wire {@link #type()} and a canonical
 * field map ({@link #fields()}): the exact names and values that are hashed and written. Fields that
 * are {@code null} are left out of the map. Events never carry secret values, only digests and
 * handles. Strings are stored as UTF-8; an unpaired surrogate is replaced by U+FFFD on construction,
 * so what is hashed is exactly what a reader gets back.
 */
public sealed interface AuditEvent {

    /** The stable wire name of this event type, for example {@code "decision"}. */
    String type();

    /** The event's fields, in a fixed order, without {@code type} and without null values. */
    Map<String, Object> fields();

    /**
     * A PEP decision. {@code signedMessage} is the signed envelope text, kept so the record can be
     * checked offline; it may be {@code null} when there was none (for example a malformed call).
     */
    record Decision(String agent, String resource, String action, boolean allowed, String stage,
                    String reasonCode, String detail, String messageId, String signedMessage) implements AuditEvent {
        public static final String TYPE = "decision";

        public Decision {
            agent = AuditText.clean(agent);
            resource = AuditText.clean(resource);
            action = AuditText.clean(action);
            stage = AuditText.clean(stage);
            reasonCode = AuditText.clean(reasonCode);
            detail = AuditText.clean(detail);
            messageId = AuditText.clean(messageId);
            signedMessage = AuditText.clean(signedMessage);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "agent", agent);
            put(m, "resource", resource);
            put(m, "action", action);
            m.put("allowed", allowed);
            put(m, "stage", stage);
            put(m, "reasonCode", reasonCode);
            put(m, "detail", detail);
            put(m, "messageId", messageId);
            put(m, "signedMessage", signedMessage);
            return m;
        }
    }

    /** The outcome of a tool call that was allowed (or refused at execution time). */
    record ToolOutcome(String agent, String resource, String action, String messageId, Status status,
                       String resultSha256, String error, long durationMicros) implements AuditEvent {
        public static final String TYPE = "tool_outcome";

        /** How the call ended. */
        public enum Status {
            OK("ok"), ERROR("error"), DENIED("denied");

            private final String wire;

            Status(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Status fromWire(String s) {
                return byWire(values(), Status::wire, s, "tool outcome status");
            }
        }

        public ToolOutcome {
            Objects.requireNonNull(status, "status");
            requireNonNegative(durationMicros, "durationMicros");
            agent = AuditText.clean(agent);
            resource = AuditText.clean(resource);
            action = AuditText.clean(action);
            messageId = AuditText.clean(messageId);
            resultSha256 = AuditText.clean(resultSha256);
            error = AuditText.clean(error);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "agent", agent);
            put(m, "resource", resource);
            put(m, "action", action);
            put(m, "messageId", messageId);
            m.put("status", status.wire());
            put(m, "resultSha256", resultSha256);
            put(m, "error", error);
            m.put("durationMicros", durationMicros);
            return m;
        }
    }

    /**
     * One run of a Wasm module. {@code fuelUsed} is {@code null} when the run was not metered;
     * {@code exit} is the guest's exit status, {@code null} when it was stopped (see {@code reason}).
     */
    record SandboxRun(String agent, String moduleSha256, Long fuelUsed, long peakMemoryBytes, long durationMicros,
                      Integer exit, String reason) implements AuditEvent {
        public static final String TYPE = "sandbox_run";

        public SandboxRun {
            if (fuelUsed != null) {
                requireNonNegative(fuelUsed, "fuelUsed");
            }
            requireNonNegative(peakMemoryBytes, "peakMemoryBytes");
            requireNonNegative(durationMicros, "durationMicros");
            agent = AuditText.clean(agent);
            moduleSha256 = AuditText.clean(moduleSha256);
            reason = AuditText.clean(reason);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "agent", agent);
            put(m, "moduleSha256", moduleSha256);
            put(m, "fuelUsed", fuelUsed);
            m.put("peakMemoryBytes", peakMemoryBytes);
            m.put("durationMicros", durationMicros);
            put(m, "exit", exit);
            put(m, "reason", reason);
            return m;
        }
    }

    /** A secret handle resolved (or refused) for an agent. Only the SHA-256 of the name is kept. */
    record SecretResolution(String agent, String handle, String secretNameSha256, boolean granted, String reason)
            implements AuditEvent {
        public static final String TYPE = "secret_resolution";

        public SecretResolution {
            agent = AuditText.clean(agent);
            handle = AuditText.clean(handle);
            secretNameSha256 = AuditText.clean(secretNameSha256);
            reason = AuditText.clean(reason);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "agent", agent);
            put(m, "handle", handle);
            put(m, "secretNameSha256", secretNameSha256);
            m.put("granted", granted);
            put(m, "reason", reason);
            return m;
        }
    }

    /** A runtime monitor rule fired. */
    record MonitorAlert(String agent, String rule, Action action, String detail) implements AuditEvent {
        public static final String TYPE = "monitor_alert";

        /** What the monitor did. */
        public enum Action {
            ALERT("alert"), BLOCK("block");

            private final String wire;

            Action(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Action fromWire(String s) {
                return byWire(values(), Action::wire, s, "monitor action");
            }
        }

        public MonitorAlert {
            Objects.requireNonNull(action, "action");
            agent = AuditText.clean(agent);
            rule = AuditText.clean(rule);
            detail = AuditText.clean(detail);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "agent", agent);
            put(m, "rule", rule);
            m.put("action", action.wire());
            put(m, "detail", detail);
            return m;
        }
    }

    /** The runtime started, stopped, loaded a configuration, or repaired its log after a crash. */
    record Lifecycle(Kind kind, String detail, String configSha256) implements AuditEvent {
        public static final String TYPE = "lifecycle";

        /**
         * Which lifecycle step. {@code REPAIR} records that a torn last line was cut off on reopen;
         * {@code RENEW} that an agent's capability was re-issued or a renewed token file taken up;
         * {@code CAPABILITY} that a capability was issued or delegated at runtime (per user, too);
         * {@code NOTICE} a warning an operator must see (a capability about to expire unrenewed,
         * a renewed token file refused).
         */
        public enum Kind {
            START("start"), STOP("stop"), CONFIG("config"), REPAIR("repair"),
            RENEW("renew"), CAPABILITY("capability"), NOTICE("notice");

            private final String wire;

            Kind(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Kind fromWire(String s) {
                return byWire(values(), Kind::wire, s, "lifecycle kind");
            }
        }

        public Lifecycle {
            Objects.requireNonNull(kind, "kind");
            detail = AuditText.clean(detail);
            configSha256 = AuditText.clean(configSha256);
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", kind.wire());
            put(m, "detail", detail);
            put(m, "configSha256", configSha256);
            return m;
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static void requireNonNegative(long v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** The constant of {@code values} whose wire form is {@code s}; {@link IllegalArgumentException} if none. */
    private static <E extends Enum<E>> E byWire(E[] values, java.util.function.Function<E, String> wire, String s, String what) {
        for (E v : values) {
            if (wire.apply(v).equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown " + what);
    }
}
