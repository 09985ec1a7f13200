package dev.moat.sandbox;

import dev.moat.check.ReasonCode;

/**
 * Why the sandbox stopped a tool, with a stable wire code. Every case maps to
 * {@link ReasonCode#SANDBOX_LIMIT} except {@link #INTERNAL} (fail closed on a host-side error).
 * Tests and callers assert on these values, never on detail text.
 */
public enum SandboxFailure {
    /** The fuel budget from the token ran out. */
    FUEL_EXHAUSTED("fuel_exhausted"),
    /** Memory beyond the effective cap was needed: refused before the run, or a refused grow ended it. */
    MEMORY_LIMIT("memory_limit"),
    /** The wall-clock deadline passed; the guest was interrupted. */
    DEADLINE("deadline"),
    /** The guest wrote more than the output cap to stdout. */
    OUTPUT_LIMIT("output_limit"),
    /** The guest trapped (unreachable, division by zero, out-of-bounds access, stack exhaustion). */
    TRAP("trap"),
    /** The guest called {@code proc_exit} with a non-zero code. */
    EXIT_NONZERO("exit_nonzero"),
    /** The guest tried a file or network operation outside its grants (absolute, {@code ..}, symlink, host). */
    IO_DENIED("io_denied"),
    /** Granted files exceed the sandbox's copy limits, or a grant is not a plain directory or file. */
    FS_LIMIT("fs_limit"),
    /** The bytes are not a runnable module: malformed, invalid, unsupported feature or import, no {@code _start}. */
    INVALID_MODULE("invalid_module"),
    /** The module is larger than the module size cap. */
    MODULE_TOO_LARGE("module_too_large"),
    /** The JSON input is larger than the input cap or not a JSON value. */
    INVALID_INPUT("invalid_input"),
    /** The host failed (an unexpected exception); the run is denied. */
    INTERNAL("internal");

    private final String code;

    SandboxFailure(String code) {
        this.code = code;
    }

    /** The stable wire form, for example {@code "fuel_exhausted"}. */
    public String code() {
        return code;
    }

    /** The protocol-level reason this failure is reported under. */
    public ReasonCode reasonCode() {
        return this == INTERNAL ? ReasonCode.INTERNAL : ReasonCode.SANDBOX_LIMIT;
    }
}
