package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FileSequenceStoreTest {
    @TempDir
    Path dir;

    private final AgentId alice = AgentKeypair.generate("alice").id();
    private final AgentId bob = AgentKeypair.generate("bob").id();

    @Test
    void acceptsOnlyStrictlyIncreasingNumbersPerSender() {
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            assertThat(s.advance(alice, 5)).isTrue();
            assertThat(s.advance(alice, 5)).isFalse();
            assertThat(s.advance(alice, 4)).isFalse();
            assertThat(s.advance(alice, 6)).isTrue();
            assertThat(s.advance(bob, 1)).isTrue();
            assertThat(s.last(alice)).isEqualTo(6);
            assertThat(s.last(AgentKeypair.generate("carol").id())).isEqualTo(-1);
        }
    }

    @Test
    void aRestartDoesNotReopenTheReplayWindow() {
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            assertThat(s.advance(alice, 100)).isTrue();
        }
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            assertThat(s.advance(alice, 100)).isFalse();
            assertThat(s.advance(alice, 99)).isFalse();
            assertThat(s.advance(alice, 101)).isTrue();
        }
    }

    @Test
    void aTornLastLineIsDroppedAndEverythingBeforeItKept() throws Exception {
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            s.advance(alice, 7);
        }
        Files.write(dir.resolve(FileSequenceStore.JOURNAL), (bob.value() + " 12").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            assertThat(s.last(alice)).isEqualTo(7);
            assertThat(s.last(bob)).isEqualTo(-1);
            assertThat(s.advance(bob, 3)).isTrue();
        }
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            assertThat(s.last(bob)).isEqualTo(3);
        }
    }

    @Test
    void aCorruptJournalIsAStartupError() throws Exception {
        Files.writeString(dir.resolve(FileSequenceStore.JOURNAL), "garbage line\n" + alice.value() + " 3\n");
        assertThatThrownBy(() -> FileSequenceStore.open(dir)).isInstanceOf(SequenceStoreException.class);
    }

    @Test
    void aCorruptSnapshotIsAStartupError() throws Exception {
        Files.writeString(dir.resolve(FileSequenceStore.SNAPSHOT), "{\"last\":{\"nobody\":1},\"v\":1}");
        assertThatThrownBy(() -> FileSequenceStore.open(dir)).isInstanceOf(SequenceStoreException.class);
    }

    @Test
    void twoThreadsRacingWithTheSameNumberNeverBothWin() throws Exception {
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            for (long seq = 1; seq <= 200; seq++) {
                long n = seq;
                AtomicInteger wins = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                Runnable r = () -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (s.advance(alice, n)) {
                        wins.incrementAndGet();
                    }
                };
                Thread a = new Thread(r);
                Thread b = new Thread(r);
                a.start();
                b.start();
                go.countDown();
                a.join();
                b.join();
                assertThat(wins.get()).as("seq %d", n).isEqualTo(1);
            }
        }
    }

    @Test
    void aClosedStoreRefusesToAccept() {
        FileSequenceStore s = FileSequenceStore.open(dir);
        s.close();
        assertThatThrownBy(() -> s.advance(alice, 1)).isInstanceOf(SequenceStoreException.class);
    }
}
