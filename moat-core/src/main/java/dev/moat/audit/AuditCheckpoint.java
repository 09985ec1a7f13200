package dev.moat.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.internal.JsonFields;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.internal.TimeFormat;
import dev.moat.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A signed statement by the log's own key: "the log held {@code count} entries and the last one
 * had hash {@code head}" ({@code head} is the genesis hash when {@code count} is 0). The signature
 * covers {@code "moat/v1/audit-checkpoint" || 0x00 || canonical JSON of {count, head, signer, time}}.
 * Stored as one line of the sidecar file {@code <log>.checkpoints}: the same object plus
 * {@code signature}.
 */
public record AuditCheckpoint(long count, byte[] head, Instant time, AgentId signer, byte[] signature) {
    private static final Set<String> FIELDS = Set.of("count", "head", "signer", "time", "signature");
    static final int MAX_LINE_BYTES = 4096;

    public AuditCheckpoint {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (head == null || head.length != Sha256.LENGTH) {
            throw new IllegalArgumentException("head must be " + Sha256.LENGTH + " bytes");
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(signer, "signer");
        if (signature == null || signature.length != Ed25519PublicKey.SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("signature must be " + Ed25519PublicKey.SIGNATURE_LENGTH + " bytes");
        }
        time = TimeFormat.truncate(time);
        head = head.clone();
        signature = signature.clone();
    }

    /** Signs (count, head, time) with the log's key. */
    public static AuditCheckpoint sign(AgentKeypair key, long count, byte[] head, Instant time) {
        Instant t = TimeFormat.truncate(time);
        byte[] sig = key.sign(Domain.AUDIT_CHECKPOINT, signedBytes(count, head, key.id(), t));
        return new AuditCheckpoint(count, head, t, key.id(), sig);
    }

    /** True when {@code key} belongs to {@link #signer()} and the signature verifies with it. */
    public boolean verify(Ed25519PublicKey key) {
        return key != null && signer.matches(key)
                && key.verify(Domain.AUDIT_CHECKPOINT, signedBytes(count, head, signer, time), signature);
    }

    @Override
    public byte[] head() {
        return head.clone();
    }

    byte[] headRef() {
        return head;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The exact bytes the signature covers. */
    static byte[] signedBytes(long count, byte[] head, AgentId signer, Instant time) {
        return CanonicalJson.encode(payload(count, head, signer, time));
    }

    private static Map<String, Object> payload(long count, byte[] head, AgentId signer, Instant time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("head", Base64Url.encode(head));
        m.put("signer", signer.value());
        m.put("time", TimeFormat.format(time));
        return m;
    }

    /** The sidecar line, without its newline. */
    public String toJsonLine() {
        Map<String, Object> m = payload(count, head, signer, time);
        m.put("signature", Base64Url.encode(signature));
        return CanonicalJson.encodeToString(m);
    }

    /** Parses one stored line strictly (canonical form only; signature not checked); throws {@link Rejection}. */
    public static AuditCheckpoint fromJsonLine(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses one sidecar line strictly (canonical form only); throws {@link Rejection}. */
    static AuditCheckpoint parse(byte[] line) {
        ObjectNode node = StrictJson.parseObject(line, MAX_LINE_BYTES, "audit checkpoint");
        JsonFields f = JsonFields.of(node, "audit checkpoint", FIELDS);
        long count = f.integer("count");
        AuditCheckpoint cp;
        try {
            cp = new AuditCheckpoint(count, f.bytes("head", Sha256.LENGTH), f.instant("time"),
                    AgentId.parse(f.string("signer")), f.bytes("signature", Ed25519PublicKey.SIGNATURE_LENGTH));
        } catch (IllegalArgumentException e) {
            throw Rejection.malformed("audit checkpoint: invalid value");
        }
        if (!Arrays.equals(cp.toJsonLine().getBytes(StandardCharsets.UTF_8), line)) {
            throw Rejection.malformed("audit checkpoint: not in canonical form");
        }
        return cp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditCheckpoint c && count == c.count && time.equals(c.time) && signer.equals(c.signer)
                && Arrays.equals(head, c.head) && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, time, signer, Arrays.hashCode(head));
    }

    @Override
    public String toString() {
        return "AuditCheckpoint[count=" + count + ", head=" + Base64Url.encode(head) + ", time=" + TimeFormat.format(time) + "]";
    }
}
