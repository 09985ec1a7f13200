package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal without an fsync per number (spec/PROTOCOL.md 10.6): fsyncs happen only when a
 * sender's fsynced ceiling is raised, and after an unclean stop, even one whose unsynced tail was
 * lost (a power cut, simulated by cutting the journal back to its last fsynced line), no number
 * accepted before is accepted again.
 */
@Timeout(60)
class FileSequenceStoreRestartRuleTest {
    @TempDir
    Path dir;

    private final AgentId alice = AgentKeypair.generate("alice").id();
    private final AgentId bob = AgentKeypair.generate("bob").id();

    @Test
    void consecutiveNumbersUnderTheCeilingNeedNoFsync() {
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("a"), 1000)) {
            for (long seq = 1; seq <= 2500; seq++) {
                assertThat(s.advance(alice, seq)).isTrue();
            }
            assertThat(s.advanceFsyncs()).isEqualTo(3); // at 1, 1001, 2002
        }
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("b"), 0)) {
            for (long seq = 1; seq <= 20; seq++) {
                assertThat(s.advance(alice, seq)).isTrue();
            }
            assertThat(s.advanceFsyncs()).as("reservation 0: the old fsync per number").isEqualTo(20);
        }
    }

    @Test
    void aCleanCloseKeepsTheExactValues() {
        try (FileSequenceStore s = FileSequenceStore.open(dir, 1000)) {
            s.advance(alice, 7);
        }
        try (FileSequenceStore s = FileSequenceStore.open(dir, 1000)) {
            assertThat(s.recoveredFromUncleanStop()).isFalse();
            assertThat(s.last(alice)).isEqualTo(7);
            assertThat(s.advance(alice, 8)).isTrue();
        }
    }

    @Test
    void afterAnUncleanStopEveryReservedNumberCountsAsUsed() throws IOException {
        Path image = dir.resolve("image");
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("live"), 1000)) {
            for (long seq = 10; seq < 60; seq++) {
                s.advance(alice, seq);
            }
            s.advance(bob, 5);
            crashImage(dir.resolve("live"), image); // what a SIGKILL leaves: written, not closed
        }
        try (FileSequenceStore s = FileSequenceStore.open(image, 1000)) {
            assertThat(s.recoveredFromUncleanStop()).isTrue();
            assertThat(s.last(alice)).isEqualTo(10 + 1000);
            assertThat(s.last(bob)).isEqualTo(5 + 1000);
            assertThat(s.advance(alice, 59)).isFalse();
            assertThat(s.advance(alice, 1010)).isFalse();
            assertThat(s.advance(alice, 1011)).isTrue();
        }
    }

    @Test
    void aPowerCutThatLosesTheUnsyncedTailAcceptsNothingTwice() throws IOException {
        Path image = dir.resolve("image");
        long accepted;
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("live"), 100)) {
            for (long seq = 1; seq <= 250; seq++) {
                s.advance(alice, seq);
            }
            accepted = s.last(alice);
            crashImage(dir.resolve("live"), image);
        }
        // lose every line after the last fsynced one, and leave zeros where the kernel had not written yet
        Path journal = image.resolve(FileSequenceStore.JOURNAL);
        List<String> lines = Files.readAllLines(journal, StandardCharsets.US_ASCII);
        int lastSynced = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).split(" ").length == 3) {
                lastSynced = i;
            }
        }
        assertThat(lastSynced).isGreaterThanOrEqualTo(0).isLessThan(lines.size() - 1);
        Files.write(journal, (String.join("\n", lines.subList(0, lastSynced + 1)) + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.write(journal, new byte[300], StandardOpenOption.APPEND);
        try (FileSequenceStore s = FileSequenceStore.open(image, 100)) {
            assertThat(s.recoveredFromUncleanStop()).isTrue();
            assertThat(s.last(alice)).isGreaterThanOrEqualTo(accepted);
            for (long seq = 1; seq <= accepted; seq++) {
                assertThat(s.advance(alice, seq)).as("seq %d", seq).isFalse();
            }
        }
    }

    @Test
    void damageBeforeAFsyncedLineIsStillAStartupError() throws IOException {
        Path image = dir.resolve("image");
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("live"), 10)) {
            for (long seq = 1; seq <= 30; seq++) {
                s.advance(alice, seq);
            }
            crashImage(dir.resolve("live"), image);
        }
        Path journal = image.resolve(FileSequenceStore.JOURNAL);
        List<String> lines = Files.readAllLines(journal, StandardCharsets.US_ASCII);
        lines.set(0, "garbage");
        Files.write(journal, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> FileSequenceStore.open(image, 10)).isInstanceOf(SequenceStoreException.class)
                .hasMessageContaining("corrupt at line 1");
    }

    private static void crashImage(Path live, Path image) throws IOException {
        Files.createDirectories(image);
        for (String f : new String[] {FileSequenceStore.JOURNAL, FileSequenceStore.SNAPSHOT}) {
            Files.copy(live.resolve(f), image.resolve(f));
        }
    }
}
