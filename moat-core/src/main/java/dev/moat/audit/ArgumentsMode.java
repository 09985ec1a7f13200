package dev.moat.audit;

/**
 * What a decision entry keeps of a call's arguments (policy {@code audit: {arguments: ...}}):
 * {@code full} their text, cut at {@link AuditEvent.Decision#MAX_ARGUMENT_BYTES} with a truncation
 * marker, plus the digest; {@code hash} (the default) only {@code payloadSha256}; {@code none}
 * nothing, not even the digest (low-entropy arguments can be guessed from a hash).
 */
public enum ArgumentsMode {
    FULL("full"), HASH("hash"), NONE("none");

    private final String wire;

    ArgumentsMode(String wire) {
        this.wire = wire;
    }

    /** The policy-file spelling. */
    public String wire() {
        return wire;
    }

    /** Parses the policy-file spelling; {@code null} means the default, {@link #HASH}. */
    public static ArgumentsMode parse(String s) {
        if (s == null) {
            return HASH;
        }
        for (ArgumentsMode m : values()) {
            if (m.wire.equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("audit.arguments must be 'full', 'hash' or 'none'");
    }
}
