package dev.moat.guard;

import dev.moat.internal.DisplayText;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One SLF4J line per denial and per audit-only would-deny (logger {@code dev.moat.denials}: denials
 * at INFO, would-deny at WARN), at most {@link #LINES_PER_SECOND} lines a second; suppressed lines
 * are counted and the count is written with the next line. A line names the agent, the action, the
 * resource, the stage, the reason code, the detail and the message id, escaped for a terminal; it
 * never holds the call's arguments or a secret value (the detail is the one the audit log keeps).
 */
final class DenialLog implements DecisionObserver {
    /** Lines written per second at most; the rest are counted and reported. */
    static final int LINES_PER_SECOND = 10;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("dev.moat.denials");
    private final RateLimitedLog denials;
    private final RateLimitedLog shadow;

    DenialLog() {
        this(LOG::info, LOG::warn, System::nanoTime);
    }

    DenialLog(Consumer<String> denied, Consumer<String> wouldDeny, LongSupplier nanos) {
        this.denials = new RateLimitedLog(LINES_PER_SECOND, denied, nanos);
        this.shadow = new RateLimitedLog(LINES_PER_SECOND, wouldDeny, nanos);
    }

    @Override
    public void onDecision(GuardEvent e) {
        switch (e.outcome()) {
            case DENIED -> denials.log("moat: denied " + describe(e));
            case WOULD_DENY -> shadow.log("moat: audit-only: would deny " + describe(e) + "; the call runs");
            case ALLOWED -> { }
        }
    }

    /** The longest description a line holds, in chars (a resource or agent name cannot make a line huge). */
    static final int MAX_CHARS = 2048;

    private static String describe(GuardEvent e) {
        String text = DisplayText.escape("agent=" + e.agent() + " action=" + e.action() + " resource=" + e.resource()
                + " stage=" + e.stage().code() + " reason=" + e.reasonCode().code()
                + (e.detail() == null || e.detail().isEmpty() ? "" : " detail=\"" + e.detail() + "\"")
                + (e.messageId() == null ? "" : " message=" + e.messageId()));
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }
}
