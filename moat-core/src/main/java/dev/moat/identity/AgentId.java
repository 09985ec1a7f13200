package dev.moat.identity;

import dev.moat.crypto.Domain;
import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.crypto.Sha256;
import java.util.Locale;

/**
 * An agent's identifier, derived from its Ed25519 public key: {@code "agent:"} followed by the
 * lowercase unpadded base32 of the first 20 bytes (160 bits) of
 * {@code SHA-256("moat/v1/agent-id" || 0x00 || publicKey)}. Anyone holding the key can check the
 * id without a registry: {@link #matches(Ed25519PublicKey)}.
 */
public record AgentId(String value) implements Comparable<AgentId> {
    public static final String PREFIX = "agent:";
    static final int HASH_BYTES = 20;
    static final int TEXT_LENGTH = PREFIX.length() + 32;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    public AgentId {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("not an agent id (expected agent: and 32 base32 characters)");
        }
    }

    /** Derives the id of {@code key}. */
    public static AgentId of(Ed25519PublicKey key) {
        byte[] h = Sha256.hash(Domain.AGENT_ID, key.bytes());
        return new AgentId(PREFIX + base32(h, HASH_BYTES));
    }

    /** Parses the text form. */
    public static AgentId parse(String text) {
        return new AgentId(text);
    }

    /** True when {@code text} is a syntactically valid agent id. */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != TEXT_LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    /** True when this id is the one derived from {@code key}. */
    public boolean matches(Ed25519PublicKey key) {
        return key != null && of(key).value.equals(value);
    }

    /** A short form for humans: the first 12 characters after the prefix. */
    public String shortForm() {
        return value.substring(PREFIX.length(), PREFIX.length() + 12);
    }

    // equals and hashCode written out: a record's generated ones are bootstrapped through
    // invokedynamic on first use, which costs the Java agent's start-up (ids are map keys from the start)
    @Override
    public boolean equals(Object o) {
        return o instanceof AgentId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(AgentId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String base32(byte[] data, int length) {
        StringBuilder sb = new StringBuilder((length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < length; i++) {
            buffer = (buffer << 8) | (data[i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(ALPHABET[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
