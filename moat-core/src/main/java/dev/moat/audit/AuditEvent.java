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
     * A PEP (or guard) decision. Entries written now carry bounded fields and digests, never the raw
     * envelope, so every decision fits in a line whatever the call's size:
     * {@code headerSha256} (SHA-256 of the exact signed header bytes), {@code payloadSha256} (the
     * header's {@code body_sha256}: {@code hash("moat/v1/payload", body)}), {@code chainSha256} (the
     * chain hash the header signs), and, as the policy's {@link ArgumentsMode} chooses, the
     * arguments' text ({@code full}, at most {@link #MAX_ARGUMENT_BYTES} UTF-8 bytes, with
     * {@code argumentsTruncated} set when cut) or nothing but the digest ({@code hash}) or nothing
     * at all ({@code none}). Resource, action, stage, reason and detail are cut to
     * {@link #MAX_TEXT_CHARS} characters (ending in {@code "…"}) by the factories.
     *
     * <p>{@code user} is the end user the call was made for (the call's {@code CallContext.user()},
     * for example from LangChain4j's memory id or the app's {@code UserResolver}), as the caller
     * stated it: it is not signed into the message (a per-user capability binds the user in its
     * resources instead). It is stored display-safe and bounded ({@link #user(String)}): control
     * and invisible characters escaped, at most {@link #MAX_USER_CHARS} characters. Absent when the
     * call named no user, and in entries written before this field existed.
     *
     * <p>{@code wouldDeny} (written only as {@code true}) marks an audit-only ("shadow") decision:
     * the call was allowed and ran ({@code allowed} is true), but enforce mode would have denied it
     * at {@code stage} for {@code reasonCode}, explained by {@code detail}.
     *
     * <p>{@code signedMessage} is the legacy form (logs written before the digest fields): the whole
     * envelope text. It still parses and verifies; new entries leave it out.
     */
    record Decision(String agent, String resource, String action, boolean allowed, String stage,
                    String reasonCode, String detail, String messageId, String headerSha256, String payloadSha256,
                    String chainSha256, String arguments, boolean argumentsTruncated, String signedMessage, String user,
                    boolean wouldDeny)
            implements AuditEvent {
        public static final String TYPE = "decision";
        /** The longest resource, action, stage, reason or detail a factory writes, in UTF-16 chars. */
        public static final int MAX_TEXT_CHARS = 1024;
        /** The most argument bytes a {@code full} entry keeps. */
        public static final int MAX_ARGUMENT_BYTES = 4096;
        /** The longest {@code user} an entry keeps, in UTF-16 chars (after escaping). */
        public static final int MAX_USER_CHARS = 256;

        public Decision {
            agent = AuditText.clean(agent);
            resource = AuditText.clean(resource);
            action = AuditText.clean(action);
            stage = AuditText.clean(stage);
            reasonCode = AuditText.clean(reasonCode);
            detail = AuditText.clean(detail);
            messageId = AuditText.clean(messageId);
            headerSha256 = AuditText.clean(headerSha256);
            payloadSha256 = AuditText.clean(payloadSha256);
            chainSha256 = AuditText.clean(chainSha256);
            arguments = AuditText.clean(arguments);
            signedMessage = AuditText.clean(signedMessage);
            user = AuditText.clean(user);
            if (argumentsTruncated && arguments == null) {
                throw new IllegalArgumentException("argumentsTruncated without arguments");
            }
            if (wouldDeny && (!allowed || stage == null || reasonCode == null)) {
                throw new IllegalArgumentException("wouldDeny needs allowed, a stage and a reason code");
            }
        }

        /** An enforced decision (not audit-only) for the end user {@code user} (or {@code null}). */
        public Decision(String agent, String resource, String action, boolean allowed, String stage,
                        String reasonCode, String detail, String messageId, String headerSha256, String payloadSha256,
                        String chainSha256, String arguments, boolean argumentsTruncated, String signedMessage, String user) {
            this(agent, resource, action, allowed, stage, reasonCode, detail, messageId, headerSha256, payloadSha256,
                    chainSha256, arguments, argumentsTruncated, signedMessage, user, false);
        }

        /** A decision without an end user, audit-only when {@code wouldDeny}. */
        public Decision(String agent, String resource, String action, boolean allowed, String stage,
                        String reasonCode, String detail, String messageId, String headerSha256, String payloadSha256,
                        String chainSha256, String arguments, boolean argumentsTruncated, String signedMessage,
                        boolean wouldDeny) {
            this(agent, resource, action, allowed, stage, reasonCode, detail, messageId, headerSha256, payloadSha256,
                    chainSha256, arguments, argumentsTruncated, signedMessage, null, wouldDeny);
        }

        /**
         * An audit-only decision without a message to digest: allowed, with what enforce mode would
         * have decided (bounded strings).
         */
        public static Decision wouldDeny(String agent, String resource, String action, String stage,
                                         String reasonCode, String detail, String messageId) {
            return new Decision(agent, AuditText.bound(resource, MAX_TEXT_CHARS), AuditText.bound(action, MAX_TEXT_CHARS), true,
                    AuditText.bound(stage, MAX_TEXT_CHARS), AuditText.bound(reasonCode, MAX_TEXT_CHARS),
                    AuditText.bound(detail, MAX_TEXT_CHARS), AuditText.bound(messageId, MAX_TEXT_CHARS),
                    null, null, null, null, false, null, true);
        }

        /** The fourteen-field form: enforced, no user. */
        public Decision(String agent, String resource, String action, boolean allowed, String stage,
                        String reasonCode, String detail, String messageId, String headerSha256, String payloadSha256,
                        String chainSha256, String arguments, boolean argumentsTruncated, String signedMessage) {
            this(agent, resource, action, allowed, stage, reasonCode, detail, messageId, headerSha256, payloadSha256,
                    chainSha256, arguments, argumentsTruncated, signedMessage, null, false);
        }

        /**
         * The form an entry stores for an end user: every control and invisible character written as
         * a visible escape ({@code \u202e}), then cut to {@link #MAX_USER_CHARS} (ending in
         * {@code "…"}); {@code null} stays {@code null}.
         */
        public static String user(String user) {
            return AuditText.bound(dev.moat.internal.DisplayText.escape(user), MAX_USER_CHARS);
        }

        /** This entry for the end user {@code user} (stored as {@link #user(String)} makes it). */
        public Decision withUser(String user) {
            return new Decision(agent, resource, action, allowed, stage, reasonCode, detail, messageId, headerSha256,
                    payloadSha256, chainSha256, arguments, argumentsTruncated, signedMessage, user(user), wouldDeny);
        }

        /** A decision without a message to digest (bounded strings). */
        public Decision(String agent, String resource, String action, boolean allowed, String stage,
                        String reasonCode, String detail, String messageId) {
            this(agent, AuditText.bound(resource, MAX_TEXT_CHARS), AuditText.bound(action, MAX_TEXT_CHARS), allowed,
                    AuditText.bound(stage, MAX_TEXT_CHARS), AuditText.bound(reasonCode, MAX_TEXT_CHARS),
                    AuditText.bound(detail, MAX_TEXT_CHARS), AuditText.bound(messageId, MAX_TEXT_CHARS),
                    null, null, null, null, false, null);
        }

        /**
         * The legacy nine-field form. With {@code signedMessage} null it is the bounded form above;
         * a non-null envelope text is written as given (kept for callers and tests of old logs).
         */
        public Decision(String agent, String resource, String action, boolean allowed, String stage,
                        String reasonCode, String detail, String messageId, String signedMessage) {
            this(agent, signedMessage == null ? AuditText.bound(resource, MAX_TEXT_CHARS) : resource,
                    signedMessage == null ? AuditText.bound(action, MAX_TEXT_CHARS) : action, allowed,
                    signedMessage == null ? AuditText.bound(stage, MAX_TEXT_CHARS) : stage,
                    signedMessage == null ? AuditText.bound(reasonCode, MAX_TEXT_CHARS) : reasonCode,
                    signedMessage == null ? AuditText.bound(detail, MAX_TEXT_CHARS) : detail,
                    signedMessage == null ? AuditText.bound(messageId, MAX_TEXT_CHARS) : messageId,
                    null, null, null, null, false, signedMessage);
        }

        /**
         * The entry for a decision on a signed message: bounded strings plus the three digests, and
         * the arguments as {@code mode} says. Digests are base64url; {@code body} is the signed body.
         */
        public static Decision forMessage(String agent, String resource, String action, boolean allowed, String stage,
                                          String reasonCode, String detail, String messageId, byte[] headerBytes,
                                          byte[] payloadSha256, byte[] chainSha256, byte[] body, ArgumentsMode mode) {
            return forMessage(agent, resource, action, allowed, stage, reasonCode, detail, messageId, headerBytes,
                    payloadSha256, chainSha256, body, mode, false);
        }

        /** As above; {@code wouldDeny} marks an audit-only decision (allowed, with the stage and reason enforce mode would deny for). */
        public static Decision forMessage(String agent, String resource, String action, boolean allowed, String stage,
                                          String reasonCode, String detail, String messageId, byte[] headerBytes,
                                          byte[] payloadSha256, byte[] chainSha256, byte[] body, ArgumentsMode mode,
                                          boolean wouldDeny) {
            java.util.Objects.requireNonNull(mode, "mode");
            String args = null;
            boolean truncated = false;
            if (mode == ArgumentsMode.FULL && body != null) {
                args = AuditText.utf8Prefix(body, MAX_ARGUMENT_BYTES);
                truncated = body.length > MAX_ARGUMENT_BYTES;
            }
            return new Decision(agent, AuditText.bound(resource, MAX_TEXT_CHARS), AuditText.bound(action, MAX_TEXT_CHARS),
                    allowed, AuditText.bound(stage, MAX_TEXT_CHARS), AuditText.bound(reasonCode, MAX_TEXT_CHARS),
                    AuditText.bound(detail, MAX_TEXT_CHARS), AuditText.bound(messageId, MAX_TEXT_CHARS),
                    headerBytes == null ? null : dev.moat.crypto.Base64Url.encode(dev.moat.crypto.Sha256.hash(headerBytes)),
                    mode == ArgumentsMode.NONE || payloadSha256 == null ? null : dev.moat.crypto.Base64Url.encode(payloadSha256),
                    chainSha256 == null ? null : dev.moat.crypto.Base64Url.encode(chainSha256),
                    args, truncated, null, wouldDeny);
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
            put(m, "headerSha256", headerSha256);
            put(m, "payloadSha256", payloadSha256);
            put(m, "chainSha256", chainSha256);
            put(m, "arguments", arguments);
            if (argumentsTruncated) {
                m.put("argumentsTruncated", true);
            }
            put(m, "signedMessage", signedMessage);
            put(m, "user", user);
            if (wouldDeny) {
                m.put("wouldDeny", true);
            }
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

    /**
     * The live revocation list changed, was loaded, or could not be read. {@code agent} or
     * {@code tokenId} names what was revoked or restored; {@code source} is the file.
     * {@code unreadable} means every call is denied until the file parses again ({@code recovered}).
     */
    record Revocation(Change change, String agent, String tokenId, String source, String detail) implements AuditEvent {
        public static final String TYPE = "revocation";

        /** What happened to the list. */
        public enum Change {
            LOADED("loaded"), REVOKED("revoked"), RESTORED("restored"), UNREADABLE("unreadable"), RECOVERED("recovered");

            private final String wire;

            Change(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Change fromWire(String s) {
                return byWire(values(), Change::wire, s, "revocation change");
            }
        }

        public Revocation {
            Objects.requireNonNull(change, "change");
            agent = AuditText.clean(agent);
            tokenId = AuditText.clean(tokenId);
            source = AuditText.clean(source);
            detail = AuditText.clean(AuditText.bound(detail, Decision.MAX_TEXT_CHARS));
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("change", change.wire());
            put(m, "agent", agent);
            put(m, "tokenId", tokenId);
            put(m, "source", source);
            put(m, "detail", detail);
            return m;
        }
    }

    /**
     * The home's live trust store ({@code trusted_roots.json}) changed, was loaded, or could not be
     * read. {@code root} is the agent id trusted or no longer trusted, {@code name} the name it was
     * trusted under; {@code source} is the file. {@code unreadable} means every call is denied until
     * the file parses again ({@code recovered}).
     */
    record Trust(Change change, String root, String name, String source, String detail) implements AuditEvent {
        public static final String TYPE = "trust";

        /** What happened to the trust store. */
        public enum Change {
            LOADED("loaded"), TRUSTED("trusted"), DISTRUSTED("distrusted"), UNREADABLE("unreadable"), RECOVERED("recovered");

            private final String wire;

            Change(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Change fromWire(String s) {
                return byWire(values(), Change::wire, s, "trust change");
            }
        }

        public Trust {
            Objects.requireNonNull(change, "change");
            root = AuditText.clean(root);
            name = AuditText.clean(AuditText.bound(name, Decision.MAX_TEXT_CHARS));
            source = AuditText.clean(source);
            detail = AuditText.clean(AuditText.bound(detail, Decision.MAX_TEXT_CHARS));
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("change", change.wire());
            put(m, "root", root);
            put(m, "name", name);
            put(m, "source", source);
            put(m, "detail", detail);
            return m;
        }
    }

    /** The runtime started, stopped, loaded a configuration, or repaired its log after a crash. */
    record Lifecycle(Kind kind, String detail, String configSha256) implements AuditEvent {
        public static final String TYPE = "lifecycle";

        /**
         * Which lifecycle step. {@code REPAIR} records that a torn last line was cut off on reopen;
         * {@code INSECURE_RESUME} that a log not anchored by its checkpoints was resumed on the
         * operator's explicit override ({@link AuditLog.Builder#insecureResumeUnanchored()});
         * {@code RENEW} that an agent's capability was re-issued or a renewed token file taken up;
         * {@code CAPABILITY} that a capability was issued or delegated at runtime (per user, too);
         * {@code NOTICE} a warning an operator must see (a capability about to expire unrenewed,
         * a renewed token file refused); {@code FLEET_HEADS} the heads of the other replicas'
         * chains in a shared store, as JSON in {@code detail} (so this chain's signed checkpoints
         * cover every replica's head).
         */
        public enum Kind {
            START("start"), STOP("stop"), CONFIG("config"), REPAIR("repair"), INSECURE_RESUME("insecure_resume"),
            RENEW("renew"), CAPABILITY("capability"), NOTICE("notice"), FLEET_HEADS("fleet_heads");

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
