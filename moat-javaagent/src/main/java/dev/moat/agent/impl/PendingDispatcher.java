package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.Dispatcher;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's dispatcher while Moat starts in the background: every guarded call waits until the
 * guard is ready and then goes to it. A call is refused (the body does not run) when the start
 * failed, or when the guard is not ready within the wait; the JVM stops on a failed start anyway.
 */
final class PendingDispatcher extends DelegatingDispatcher {
    private final CountDownLatch settled = new CountDownLatch(1);
    private final long waitMillis;
    private volatile Dispatcher ready;

    PendingDispatcher(long waitMillis) {
        this.waitMillis = waitMillis;
    }

    /** Moat started: calls go to {@code dispatcher} from now on. */
    void ready(Dispatcher dispatcher) {
        ready = dispatcher;
        settled.countDown();
    }

    /** Moat did not start: every call is refused. */
    void failed() {
        settled.countDown();
    }

    @Override
    Dispatcher delegate() {
        Dispatcher d = ready;
        if (d != null) {
            return d;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            while (true) {
                try {
                    settled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the wait goes on: an interrupt does not let the call through
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        d = ready;
        if (d == null) {
            throw new IllegalStateException(settled.getCount() == 0
                    ? "moat: the guard did not start; the call is refused"
                    : "moat: the guard has not started within " + waitMillis + " ms; the call is refused");
        }
        return d;
    }
}
