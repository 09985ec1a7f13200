package dev.moat.agent.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** Home-grown tool code (no framework): guarded only through the policy's configured method patterns. */
public final class Payments {
    static final AtomicInteger TRANSFERS = new AtomicInteger();

    public String transfer(String to, long amount) {
        TRANSFERS.incrementAndGet();
        return "transferred " + amount + " to " + to;
    }

    public static long balance() {
        return 42;
    }
}
