package dev.moat.replay;

import dev.moat.identity.AgentId;

/**
 * Remembers, per sender, the highest accepted message sequence number. The PEP calls
 * {@link #advance} after the signature is verified and before anything is allowed.
 *
 * <p>Guarantees every implementation must give: {@code advance} accepts {@code seq} only when it
 * is strictly greater than every sequence number accepted before for that sender, atomically (two
 * threads racing with the same number: at most one wins), and the new value is durable before
 * {@code advance} returns {@code true}, so a restart never re-opens a replay window. On any storage
 * failure it throws {@link SequenceStoreException}, which the PEP turns into a denial.
 */
public interface SequenceStore extends AutoCloseable {

    /** Accepts {@code seq} for {@code sender} if it is above the last one; durable before returning true. */
    boolean advance(AgentId sender, long seq);

    /** The last accepted sequence number, or -1 if none. */
    long last(AgentId sender);

    @Override
    default void close() {}
}
