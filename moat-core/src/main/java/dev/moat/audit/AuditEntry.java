package dev.moat.audit;

import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Sha256;
import dev.moat.internal.TimeFormat;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One link of the audit hash chain. {@code hash} is
 * {@code SHA-256("moat/v1/audit-entry" || 0x00 || canonical JSON of {event, index, prev, time})},
 * where {@code event} holds the event's {@code type} and fields; the first entry (index 0) has
 * {@link #genesisHash()}, 32 zero bytes, as its previous hash. moat-core/AUDIT.md gives the exact
 * bytes. Times are kept at millisecond precision, the wire precision.
 */
public record AuditEntry(long index, Instant time, AuditEvent event, byte[] previousHash, byte[] hash) {
    /** Largest encoded line (entry plus newline) a store writes and a verifier reads. */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /** Previous hash of entry 0 and head of an empty log: 32 zero bytes. Never modified. */
    static final byte[] GENESIS_HASH = new byte[Sha256.LENGTH];

    /** The previous hash of entry 0: 32 zero bytes (a fresh array). */
    public static byte[] genesisHash() {
        return GENESIS_HASH.clone();
    }

    public AuditEntry {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        if (previousHash == null || previousHash.length != Sha256.LENGTH || hash == null || hash.length != Sha256.LENGTH) {
            throw new IllegalArgumentException("hashes must be " + Sha256.LENGTH + " bytes");
        }
        time = TimeFormat.truncate(time);
        previousHash = previousHash.clone();
        hash = hash.clone();
    }

    /** Builds the entry that follows {@code previousHash}, computing its hash. */
    public static AuditEntry create(long index, Instant time, AuditEvent event, byte[] previousHash) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        if (previousHash == null || previousHash.length != Sha256.LENGTH) {
            throw new IllegalArgumentException("previousHash must be " + Sha256.LENGTH + " bytes");
        }
        return AuditEntryCodec.create(index, TimeFormat.truncate(time), event, previousHash);
    }

    /**
     * Parses one stored line (without its newline) strictly, in either decision form (digests or the
     * legacy {@code signedMessage}), and checks that its {@code hash} is the hash of its content.
     * Does not check the chain (use {@link AuditVerifier}). Throws {@link IllegalArgumentException}
     * for a malformed line or a wrong hash.
     */
    public static AuditEntry parseLine(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length >= MAX_LINE_BYTES) {
            throw new IllegalArgumentException("audit line exceeds " + MAX_LINE_BYTES + " bytes");
        }
        AuditEntryCodec.Parsed p;
        try {
            p = AuditEntryCodec.parse(bytes, bytes.length);
        } catch (dev.moat.internal.Rejection r) {
            throw new IllegalArgumentException(r.failure().detail());
        }
        if (!ConstantTime.equal(p.computedHash(), p.entry().hash())) {
            throw new IllegalArgumentException("audit entry " + p.entry().index() + ": hash does not match its content");
        }
        return p.entry();
    }

    /** True when {@link #hash()} is the hash of this entry's content. */
    public boolean hashIsValid() {
        return ConstantTime.equal(hash, AuditEntryCodec.hash(index, time, event, previousHash));
    }

    @Override
    public byte[] previousHash() {
        return previousHash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    byte[] hashRef() {
        return hash;
    }

    byte[] previousHashRef() {
        return previousHash;
    }

    /**
     * Parses a stored line (without its newline; canonical form only) and checks that its stored
     * hash is the hash of its content. Throws {@link dev.moat.internal.Rejection} otherwise.
     */
    public static AuditEntry fromJsonLine(String line) {
        byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AuditEntryCodec.Parsed p = AuditEntryCodec.parse(bytes, bytes.length);
        if (!ConstantTime.equal(p.entry().hashRef(), p.computedHash())) {
            throw dev.moat.internal.Rejection.malformed("audit entry: stored hash does not match its content");
        }
        return p.entry();
    }

    /** The stored JSON line, without the trailing newline. */
    public String toJsonLine() {
        return AuditEntryCodec.lineString(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditEntry e && index == e.index && time.equals(e.time) && event.equals(e.event)
                && Arrays.equals(previousHash, e.previousHash) && Arrays.equals(hash, e.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, time, event, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "AuditEntry[" + index + ", " + TimeFormat.format(time) + ", " + event.type() + ", " + Base64Url.encode(hash) + "]";
    }
}
