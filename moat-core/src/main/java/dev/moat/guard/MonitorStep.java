package dev.moat.guard;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.MonitorAlert;
import dev.moat.monitor.MonitorListener;
import dev.moat.monitor.MonitorRules;
import dev.moat.monitor.MonitorVerdict;
import dev.moat.monitor.ObservedCall;
import dev.moat.monitor.RuntimeMonitor;
import dev.moat.pep.Decision;
import dev.moat.pep.Stage;
import java.time.Clock;

/**
 * The runtime monitor as a guard step: every call the PEP allowed is observed (its kind from the
 * policy's resource globs); each alert is audited; a blocking verdict turns the allow into a
 * denial at {@link Stage#MONITOR}. A monitor failure blocks (the monitor fails closed).
 */
public final class MonitorStep {
    private final RuntimeMonitor monitor;
    private final CallKindResolver kinds;
    private final java.util.concurrent.atomic.AtomicReference<DecisionObserver> observer;

    private MonitorStep(RuntimeMonitor monitor, CallKindResolver kinds, java.util.concurrent.atomic.AtomicReference<DecisionObserver> observer) {
        this.monitor = monitor;
        this.kinds = kinds;
        this.observer = observer;
    }

    /** A step over {@code rules} whose alerts go to {@code audit}. */
    public static MonitorStep create(MonitorRules rules, CallKindResolver kinds, AuditLog audit, Clock clock) {
        var observer = new java.util.concurrent.atomic.AtomicReference<DecisionObserver>(); // set by the guard, when it has observers
        MonitorListener listener = (call, verdict) -> {
            for (MonitorAlert a : verdict.alerts()) {
                audit.append(new AuditEvent.MonitorAlert(a.agent().value(), a.ruleId(),
                        a.blocks() ? AuditEvent.MonitorAlert.Action.BLOCK : AuditEvent.MonitorAlert.Action.ALERT,
                        a.kind() + " on " + a.resource() + ": " + a.detail()));
                DecisionObserver o = observer.get();
                if (o != null) {
                    o.onMonitorAlert(a); // Observers: never throws
                }
            }
        };
        return new MonitorStep(RuntimeMonitor.builder(rules).clock(clock).listener(listener).build(), kinds, observer);
    }

    /** Observes an allowed call: the same allow, or the denial the monitor asks for. */
    Decision observe(Decision.Allow allow) {
        var msg = allow.message();
        MonitorVerdict v = monitor.observe(ObservedCall.of(msg.sender(), kinds.kindOf(msg.resource()), msg.resource(), msg.action()));
        if (v instanceof MonitorVerdict.Blocked blocked) {
            return new Decision.Deny(Stage.MONITOR, blocked.failure());
        }
        return allow;
    }

    /** Tells {@code observers} (the guard's, which never throw) of every alert. */
    void observe(Observers observers) {
        observer.set(observers);
    }

    public RuntimeMonitor monitor() {
        return monitor;
    }
}
