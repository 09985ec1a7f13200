package dev.moat.mcp;

/** What the lock file says about a tool definition the server has just listed. */
public enum PinStatus {
    /** The definition matches the approved pin. */
    APPROVED,
    /** First sight of this server: the definition is pinned now and approved (trust on first use). */
    PINNED_NOW,
    /** The definition differs from the approved pin: refused until an operator approves it. */
    CHANGED,
    /** A tool the lock file does not know, on a server it does: refused until approved. */
    NEW,
    /** The definition cannot be pinned (no name, or a non-integer number in it): always refused. */
    UNPINNABLE;

    /** True when the tool may be shown and called. */
    public boolean usable() {
        return this == APPROVED || this == PINNED_NOW;
    }
}
