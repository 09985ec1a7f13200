package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.agent.bootstrap.Dispatcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Calls made while Moat starts wait for it; a failed or overdue start refuses them; an interrupt lets nothing through. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingDispatcherTest {
    /** Answers enterMethod with its target. */
    static final class Echo extends FailClosedTest.Broken {
        @Override
        public Object enterMethod(String target, Object[] args) {
            return "entered " + target;
        }
    }

    @Test
    void aCallMadeBeforeTheGuardIsReadyWaitsForIt() throws Exception {
        PendingDispatcher pending = new PendingDispatcher(20_000);
        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> pending.enterMethod("t", new Object[0]));
        Thread.sleep(200);
        assertThat(call).isNotDone();

        pending.ready(new Echo());

        assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("entered t");
        assertThat(pending.enterMethod("u", new Object[0])).isEqualTo("entered u");
    }

    @Test
    void aFailedStartRefusesEveryCall() {
        PendingDispatcher pending = new PendingDispatcher(20_000);
        pending.failed();

        assertThatThrownBy(() -> pending.enterMethod("t", new Object[0]))
                .isInstanceOf(IllegalStateException.class).hasMessage("moat: the guard did not start; the call is refused");
        assertThatThrownBy(() -> pending.enterToolService(null, null, null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pending.enterToolCallback(null, "{}")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStartThatTakesTooLongRefusesTheCall() {
        PendingDispatcher pending = new PendingDispatcher(100);

        assertThatThrownBy(() -> pending.enterMethod("t", new Object[0]))
                .isInstanceOf(IllegalStateException.class).hasMessage("moat: the guard has not started within 100 ms; the call is refused");
    }

    @Test
    void anInterruptedCallKeepsWaitingAndKeepsTheInterrupt() throws Exception {
        PendingDispatcher pending = new PendingDispatcher(20_000);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            Object r = pending.enterMethod("t", new Object[0]);
            outcome.complete(r + " interrupted=" + Thread.currentThread().isInterrupted());
        });
        caller.start();
        Thread.sleep(100);
        caller.interrupt();
        Thread.sleep(200);
        assertThat(outcome).isNotDone();

        pending.ready(new Echo());

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("entered t interrupted=true");
    }

    @Test
    void readyDispatcherIsUsedForEveryEntryPoint() {
        PendingDispatcher pending = new PendingDispatcher(1_000);
        Dispatcher broken = new FailClosedTest.Broken();
        pending.ready(broken);

        assertThatThrownBy(() -> pending.exitMethod(null, null, null)).hasMessage("broken dispatcher (test)");
        assertThatThrownBy(() -> pending.exitToolService(null, null, null)).hasMessage("broken dispatcher (test)");
        assertThatThrownBy(() -> pending.exitToolCallback(null, null, null)).hasMessage("broken dispatcher (test)");
    }
}
