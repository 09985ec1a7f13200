package dev.moat.replay;

import dev.moat.identity.AgentId;

/**
 * Remembers, per sender, the highest accepted message sequence number. The PEP calls
 * {@link #advance} after the signature is verified and before anything is allowed.
 *
 * <p>Guarantees every implementation must give: {@code advance} accepts {@code seq} only when it
 * is strictly greater than every sequence number accepted before for that sender, atomically (two
 * threads racing with the same number: at most one wins), and once {@code advance} has returned
 * {@code true}, no later run of the store accepts that number again for that sender, however the
 * process stopped (closed, killed, or the machine lost power): after reopening, {@link #last} is at
 * least every number accepted before. A store may meet this with an fsync per number, or without
 * one by writing each number to the operating system and making a ceiling durable ahead of it
 * ({@link FileSequenceStore}; spec/PROTOCOL.md 10.6). On any storage failure it throws
 * {@link SequenceStoreException}, which the PEP turns into a denial.
 */
public interface SequenceStore extends AutoCloseable {

    /** Accepts {@code seq} for {@code sender} if it is above the last one; never accepted again once true is returned. */
    boolean advance(AgentId sender, long seq);

    /** The last accepted sequence number, or -1 if none. */
    long last(AgentId sender);

    @Override
    default void close() {}
}
