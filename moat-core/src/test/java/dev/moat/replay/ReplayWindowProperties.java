package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The replay window (spec/PROTOCOL.md 10.4): many threads deliver one sender's numbers, with
 * duplicates, in shuffled order; no number is ever accepted twice, nothing the store held before
 * is accepted, and numbers older than the window are refused.
 */
class ReplayWindowProperties {
    private static final AgentId ALICE = AgentKeypair.generate("alice").id();

    @Property(tries = 60)
    void manyThreadsShuffledWithDuplicatesNeverAcceptANumberTwice(
            @ForAll @IntRange(min = 1, max = 600) int count, @ForAll @IntRange(min = 2, max = 8) int threads,
            @ForAll @LongRange(min = -1, max = 50) long storedBefore, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        InMemorySequenceStore store = new InMemorySequenceStore();
        if (storedBefore >= 0) {
            store.advance(ALICE, storedBefore);
        }
        ReplayWindow window = new ReplayWindow(store);
        List<Long> delivery = new ArrayList<>();
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += 1 + random.nextInt(random.nextBoolean() ? 3 : 200); // dense and sparse (clock-like) gaps
            delivery.add(n);
            if (random.nextInt(4) == 0) {
                delivery.add(n); // a replay
            }
        }
        // local shuffles (reordering within a few places) and a few long-delayed messages
        for (int i = 0; i + 1 < delivery.size(); i++) {
            if (random.nextInt(3) == 0) {
                Collections.swap(delivery, i, Math.min(delivery.size() - 1, i + 1 + random.nextInt(6)));
            }
        }
        for (int k = 0; k < 3 && delivery.size() > 2; k++) {
            delivery.add(delivery.remove(random.nextInt(delivery.size() / 2)));
        }
        ConcurrentLinkedQueue<Long> queue = new ConcurrentLinkedQueue<>(delivery);
        ConcurrentHashMap<Long, AtomicInteger> accepted = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                Long seq;
                while ((seq = queue.poll()) != null) {
                    if (window.accept(ALICE, seq)) {
                        accepted.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(w.isAlive()).isFalse();
        }
        accepted.forEach((seq, times) -> {
            assertThat(times.get()).as("seq %d accepted", seq).isEqualTo(1);
            assertThat(seq).as("at or below what the store held before").isGreaterThan(storedBefore);
        });
        long max = delivery.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(store.last(ALICE)).isEqualTo(Math.max(max, storedBefore));
        // afterwards, nothing delivered is accepted again, whatever the order
        Set<Long> unique = new HashSet<>(delivery);
        for (long seq : unique) {
            if (accepted.containsKey(seq)) {
                assertThat(window.accept(ALICE, seq)).isFalse();
            }
        }
    }

    @Example
    void inOrderDeliveryIsAllAcceptedAndOutOfOrderWithinTheWindowToo() {
        ReplayWindow window = new ReplayWindow(new InMemorySequenceStore());
        assertThat(window.accept(ALICE, 10)).isTrue();
        assertThat(window.accept(ALICE, 30)).isTrue();
        assertThat(window.accept(ALICE, 20)).as("late, never seen").isTrue();
        assertThat(window.accept(ALICE, 20)).isFalse();
        assertThat(window.accept(ALICE, 30)).isFalse();
        assertThat(window.accept(ALICE, 10)).isFalse();
        assertThat(window.accept(ALICE, 25)).isTrue();
    }

    @Example
    void numbersOlderThanTheWindowAreRefused() {
        ReplayWindow window = new ReplayWindow(new InMemorySequenceStore());
        assertThat(window.accept(ALICE, 1)).isTrue();
        for (long seq = 3; seq <= 3 + ReplayWindow.WINDOW; seq++) {
            assertThat(window.accept(ALICE, seq)).isTrue();
        }
        assertThat(window.accept(ALICE, 2)).as("older than the last %d accepted", ReplayWindow.WINDOW).isFalse();
    }

    @Example
    void afterARestartNothingAtOrBelowTheStoredNumberIsAccepted() {
        InMemorySequenceStore store = new InMemorySequenceStore();
        store.advance(ALICE, 1000);
        ReplayWindow window = new ReplayWindow(store);
        assertThat(window.accept(ALICE, 999)).isFalse();
        assertThat(window.accept(ALICE, 1000)).isFalse();
        assertThat(window.accept(ALICE, 1001)).isTrue();
        assertThat(window.accept(ALICE, -5)).isFalse();
    }
}
