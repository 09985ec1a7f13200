package dev.moat.monitor;

/**
 * Receives every verdict that is not a pass, before {@link RuntimeMonitor#observe} returns, so the
 * caller can audit each alert. Called on the observing thread, outside the monitor's locks; must
 * be thread-safe. If it throws, the call is blocked with a {@link RuleKind#INTERNAL} alert: an
 * alert that cannot be audited is not let through.
 */
@FunctionalInterface
public interface MonitorListener {
    void onVerdict(ObservedCall call, MonitorVerdict verdict);

    MonitorListener NONE = (call, verdict) -> { };
}
