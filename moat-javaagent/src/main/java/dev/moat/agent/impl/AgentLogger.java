package dev.moat.agent.impl;

import java.util.Locale;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * One SLF4J logger of {@link AgentLogging}: a line on standard error per event at or above the
 * threshold. A throwable is shown by its class and message only (Moat's exceptions never carry
 * secrets; stack traces would bury the line).
 */
final class AgentLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /** The lowest level printed; {@link #OFF} prints nothing. */
    enum Threshold {
        DEBUG(Level.DEBUG.toInt()), INFO(Level.INFO.toInt()), WARN(Level.WARN.toInt()), ERROR(Level.ERROR.toInt()), OFF(Integer.MAX_VALUE);

        final int value;

        Threshold(int value) {
            this.value = value;
        }

        /** {@code null} or blank is {@link #INFO}; an unknown word is {@link #INFO} too, said once. */
        static Threshold of(String text) {
            if (text == null || text.isBlank()) {
                return INFO;
            }
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                AgentLog.line("note: -Dmoat.agent.log=" + text + " is not debug, info, warn, error or off; using info");
                return INFO;
            }
        }
    }

    private final transient Threshold threshold;

    AgentLogger(String name, Threshold threshold) {
        this.name = name;
        this.threshold = threshold;
    }

    private boolean on(Level level) {
        return level.toInt() >= threshold.value;
    }

    @Override
    public boolean isTraceEnabled() {
        return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] arguments, Throwable throwable) {
        if (!on(level)) {
            return;
        }
        String text = MessageFormatter.basicArrayFormat(message, arguments);
        if (text != null && text.startsWith("moat: ")) {
            text = text.substring("moat: ".length()); // the line has the prefix already
        }
        if (throwable != null) {
            text += " (" + throwable.getClass().getSimpleName() + (throwable.getMessage() == null ? "" : ": " + throwable.getMessage()) + ")";
        }
        AgentLog.line("[" + level + "] " + name + ": " + text);
    }
}
