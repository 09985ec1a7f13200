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

    /**
     * True when one process alone accepts numbers through this store (it is locked to this process,
     * or lives in its memory), so the PEP may accept a sender's numbers slightly out of order from
     * an in-memory replay window ({@link ReplayWindow}). A store shared by several PEP instances
     * (a fleet's database) must answer false (the default): its PEPs then accept only numbers
     * above the store's last, one at a time, since a window in one instance's memory cannot see
     * what the others accepted below their highest.
     */
    default boolean exclusiveToThisProcess() {
        return false;
    }

    /** The last accepted sequence number, or -1 if none. */
    long last(AgentId sender);

    @Override
    default void close() {}
}
