package dev.moat.guard;

import dev.moat.monitor.MonitorAlert;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The guard's observers behind one {@link DecisionObserver}: each is called in turn and whatever
 * one throws is caught, counted and logged (rate-limited), so an observer can neither change a
 * decision nor break the call path, nor keep the next observer from being told. A JVM error
 * ({@link VirtualMachineError}) is rethrown: the process is not healthy.
 */
final class Observers implements DecisionObserver {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Observers.class);
    private final List<DecisionObserver> observers;
    private final AtomicLong failures = new AtomicLong();
    private final RateLimitedLog failureLog = new RateLimitedLog(1, LOG::warn, System::nanoTime);

    Observers(List<DecisionObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    long failures() {
        return failures.get();
    }

    @Override
    public void onDecision(GuardEvent event) {
        each(o -> o.onDecision(event));
    }

    @Override
    public void onMonitorAlert(MonitorAlert alert) {
        each(o -> o.onMonitorAlert(alert));
    }

    @Override
    public void onSandboxStop(String agent, SandboxStoppedException stop) {
        each(o -> o.onSandboxStop(agent, stop));
    }

    private void each(Consumer<DecisionObserver> call) {
        for (DecisionObserver o : observers) {
            try {
                call.accept(o);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an observer never decides: count it and carry on
                failures.incrementAndGet();
                failureLog.log("moat: decision observer " + o.getClass().getName() + " failed: " + e.getClass().getName());
            }
        }
    }
}
