package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link SequenceStore} must do (the interface's contract). Subclasses supply fresh
 * stores; {@link #another()} is a second instance over the same state (after a restart, or on another
 * replica), which must see every accepted number.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SequenceStoreConformance {
    private final List<SequenceStore> opened = new ArrayList<>();
    private final AgentId alice = AgentKeypair.generate("alice").id();
    private final AgentId bob = AgentKeypair.generate("bob").id();

    /** A store over fresh, empty state. Called once per test, before {@link #another()}. */
    protected abstract SequenceStore fresh();

    /** A new instance over the state of the last {@link #fresh()} store; {@code previous} may be closed first. */
    protected abstract SequenceStore another(SequenceStore previous);

    /** True when two instances may be open at once over the same state (shared backends). */
    protected boolean sharedByInstances() {
        return false;
    }

    private SequenceStore track(SequenceStore s) {
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAll() {
        for (SequenceStore s : opened) {
            s.close();
        }
    }

    @Test
    void acceptsOnlyStrictlyIncreasingNumbersPerSender() {
        SequenceStore s = track(fresh());
        assertThat(s.last(alice)).isEqualTo(-1);
        assertThat(s.advance(alice, 5)).isTrue();
        assertThat(s.last(alice)).isEqualTo(5);
        assertThat(s.advance(alice, 5)).as("the same number again is a replay").isFalse();
        assertThat(s.advance(alice, 4)).as("a lower number is a replay").isFalse();
        assertThat(s.advance(alice, 6)).isTrue();
        assertThat(s.advance(alice, 1_000_000_000_000L)).isTrue();
        assertThat(s.last(alice)).isEqualTo(1_000_000_000_000L);
        assertThat(s.advance(bob, 1)).as("senders are independent").isTrue();
        assertThat(s.last(bob)).isEqualTo(1);
    }

    @Test
    void acceptedNumbersSurviveARestart() {
        SequenceStore s = fresh();
        assertThat(s.advance(alice, 10)).isTrue();
        assertThat(s.advance(bob, 3)).isTrue();
        if (!sharedByInstances()) {
            s.close();
        } else {
            track(s);
        }
        SequenceStore t = track(another(s));
        assertThat(t.last(alice)).isEqualTo(10);
        assertThat(t.advance(alice, 10)).as("replay after restart").isFalse();
        assertThat(t.advance(bob, 2)).isFalse();
        assertThat(t.advance(alice, 11)).isTrue();
    }

    @Test
    void racingThreadsAcceptEachNumberAtMostOnce() throws Exception {
        SequenceStore s = track(fresh());
        SequenceStore t = sharedByInstances() ? track(another(s)) : s;
        int threads = 8;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            ConcurrentHashMap<Long, AtomicInteger> wins = new ConcurrentHashMap<>();
            for (int r = 1; r <= rounds; r++) {
                long seq = r;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> fs = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    SequenceStore target = i % 2 == 0 ? s : t;
                    fs.add(pool.submit(() -> {
                        go.await();
                        return target.advance(alice, seq);
                    }));
                }
                go.countDown();
                for (Future<Boolean> f : fs) {
                    if (f.get(30, TimeUnit.SECONDS)) {
                        wins.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }
            assertThat(wins).hasSize(rounds);
            assertThat(wins.values()).allSatisfy(w -> assertThat(w.get()).as("winners of one number").isEqualTo(1));
            assertThat(s.last(alice)).isEqualTo(rounds);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void interleavedNumbersFromManyThreadsNeverAcceptAStaleOne() throws Exception {
        SequenceStore s = track(fresh());
        SequenceStore t = sharedByInstances() ? track(another(s)) : s;
        int threads = 4;
        int per = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // thread i offers i, i+threads, i+2*threads, ...: every accepted number must exceed every
            // number accepted before it, so accepted numbers in acceptance order are increasing.
            List<Long> acceptedInOrder = java.util.Collections.synchronizedList(new ArrayList<>());
            Object order = new Object();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int offset = i;
                SequenceStore target = i % 2 == 0 ? s : t;
                fs.add(pool.submit(() -> {
                    for (int k = 1; k <= per; k++) {
                        long seq = (long) k * threads + offset;
                        synchronized (order) { // the lock makes "acceptance order" observable
                            if (target.advance(bob, seq)) {
                                acceptedInOrder.add(seq);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(45, TimeUnit.SECONDS);
            }
            assertThat(acceptedInOrder).isNotEmpty().isSorted().doesNotHaveDuplicates();
            assertThat(s.last(bob)).isEqualTo(acceptedInOrder.get(acceptedInOrder.size() - 1));
        } finally {
            pool.shutdownNow();
        }
    }
}
