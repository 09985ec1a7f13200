package dev.moat.guard;

import dev.moat.MoatException;
import dev.moat.check.ReasonCode;
import java.util.Objects;

/**
 * A sandboxed tool was allowed but the sandbox stopped it (fuel, memory, deadline, output, I/O,
 * trap, non-zero exit): the error of a {@link GuardedCall.Failed} from {@link Guard#call(ToolCall)}.
 * {@link #code()} is the sandbox's stable stop code (for example {@code fuel_exhausted}, the
 * {@code code()} of moat-sandbox's {@code SandboxFailure}); match on it, never on the message.
 */
public final class SandboxStoppedException extends MoatException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final ReasonCode reasonCode;
    private final String detail;

    /**
     * @param code       the stable stop code, for example {@code fuel_exhausted}
     * @param reasonCode the protocol reason it is reported under ({@code sandbox_limit}, or
     *                   {@code internal} for a host-side failure)
     * @param detail     for humans and logs, may be empty
     */
    public SandboxStoppedException(String code, ReasonCode reasonCode, String detail) {
        super("sandbox stopped the tool: " + code + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.code = Objects.requireNonNull(code, "code");
        this.reasonCode = Objects.requireNonNull(reasonCode, "reasonCode");
        this.detail = detail == null ? "" : detail;
    }

    /** The sandbox's stable stop code, for example {@code fuel_exhausted}. */
    public String code() {
        return code;
    }

    /** The protocol-level reason: {@link ReasonCode#SANDBOX_LIMIT} or {@link ReasonCode#INTERNAL}. */
    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** Human-readable detail; not for matching. */
    public String detail() {
        return detail;
    }
}
