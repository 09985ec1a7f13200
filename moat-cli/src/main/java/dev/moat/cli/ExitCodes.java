package dev.moat.cli;

/** The exit codes of every {@code moat} command; documented in {@code moat --help}. */
public final class ExitCodes {
    /** The command did what was asked (a token is valid, a log is intact...). */
    public static final int OK = 0;
    /** Denied or invalid: a refused delegation, an invalid token, a broken audit log, a bad policy. */
    public static final int DENIED = 1;
    /** Usage: unknown command or option, a missing or malformed argument. */
    public static final int USAGE = 2;
    /** I/O: a named file, folder or identity does not exist or cannot be read or written. */
    public static final int IO = 3;

    private ExitCodes() {}
}
