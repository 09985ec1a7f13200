package dev.moat.cli;

/**
 * A command failed for a reason the user should read: carries the exit code, a one-line message
 * and, when there is one, a stable reason code (for example {@code broadened}) for {@code --json}.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String reason;
    private final java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();

    public CliException(int exitCode, String reason, String message) {
        super(message);
        this.exitCode = exitCode;
        this.reason = reason;
    }

    public CliException(int exitCode, String reason, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.reason = reason;
    }

    /** Denied or invalid (exit 1), with a stable reason code. */
    public static CliException denied(String reason, String message) {
        return new CliException(ExitCodes.DENIED, reason, message);
    }

    /** Bad usage (exit 2). */
    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, "usage", message);
    }

    /** A file is missing or unreadable (exit 3). */
    public static CliException io(String message) {
        return new CliException(ExitCodes.IO, "io", message);
    }

    /** A file is missing or unreadable (exit 3), keeping the cause for {@code --verbose}. */
    public static CliException io(String message, Throwable cause) {
        return new CliException(ExitCodes.IO, "io", message, cause);
    }

    /** Adds a machine-readable detail shown in {@code --json} error output. */
    public CliException with(String key, Object value) {
        details.put(key, value);
        return this;
    }

    public java.util.Map<String, Object> details() {
        return java.util.Collections.unmodifiableMap(details);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The stable reason code, for example {@code broadened}, {@code untrusted_root}, {@code io}. */
    public String reason() {
        return reason;
    }
}
