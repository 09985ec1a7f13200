package dev.moat.token;

/**
 * Size limits applied to untrusted token input before and during parsing.
 *
 * @param maxTokenBytes largest payload of one link (default 64 KiB)
 * @param maxLinks      longest chain accepted on the wire (default 16)
 * @param maxChainBytes largest encoded chain (default 1 MiB)
 */
public record TokenLimits(int maxTokenBytes, int maxLinks, int maxChainBytes) {
    public static final TokenLimits DEFAULT = new TokenLimits(64 * 1024, 16, 1024 * 1024);

    public TokenLimits {
        if (maxTokenBytes <= 0 || maxLinks <= 0 || maxChainBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
