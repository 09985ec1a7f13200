package dev.moat.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Domain-separation tags. Every signature and every identifier hash in Moat covers
 * {@code tag || 0x00 || bytes}, so a signature made for one object type can never be replayed as
 * another (a token signature is not a valid message signature, and so on).
 */
public enum Domain {
    AGENT_ID("moat/v1/agent-id"),
    TOKEN("moat/v1/token"),
    MESSAGE("moat/v1/message"),
    CHAIN("moat/v1/chain"),
    PAYLOAD("moat/v1/payload"),
    AUDIT_ENTRY("moat/v1/audit-entry"),
    AUDIT_CHECKPOINT("moat/v1/audit-checkpoint"),
    POLICY("moat/v1/policy");

    private final String tag;
    private final byte[] prefix;

    Domain(String tag) {
        this.tag = tag;
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        this.prefix = new byte[t.length + 1];
        System.arraycopy(t, 0, prefix, 0, t.length);
        // last byte stays 0x00: the separator
    }

    /** The ASCII tag, for example {@code moat/v1/token}. */
    public String tag() {
        return tag;
    }

    /** Returns {@code tag || 0x00 || bytes} as a new array. */
    public byte[] frame(byte[] bytes) {
        byte[] out = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(bytes, 0, out, prefix.length, bytes.length);
        return out;
    }

    int prefixLength() {
        return prefix.length;
    }

    byte[] prefixBytes() {
        return prefix;
    }
}
