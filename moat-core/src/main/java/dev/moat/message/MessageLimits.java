package dev.moat.message;

import dev.moat.token.TokenLimits;

/**
 * Size limits for untrusted messages, checked before any parsing.
 *
 * @param maxBodyBytes     largest body (default 1 MiB)
 * @param maxEnvelopeBytes largest encoded envelope (default 3 MiB: base64 body plus chain)
 * @param tokens           limits for the embedded token chain
 */
public record MessageLimits(int maxBodyBytes, int maxEnvelopeBytes, TokenLimits tokens) {
    public static final MessageLimits DEFAULT = new MessageLimits(1024 * 1024, 3 * 1024 * 1024, TokenLimits.DEFAULT);
    static final int MAX_HEADER_BYTES = 8 * 1024;

    public MessageLimits {
        if (maxBodyBytes <= 0 || maxEnvelopeBytes <= 0 || tokens == null) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
