package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.identity.AgentKeypair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One replay directory, one store: a second process and a second open in this JVM are refused. */
@Timeout(120)
class SequenceStoreLockTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out) {}

    private Run child() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), SequenceStoreLockChild.class.getName(), dir.toString()))
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    @Test
    void aSecondProcessIsRefusedWhileTheStoreIsOpenAndAdmittedAfterClose() throws Exception {
        try (FileSequenceStore s = FileSequenceStore.open(dir)) {
            s.advance(AgentKeypair.generate("a").id(), 1);
            Run refused = child();
            assertThat(refused.exit()).isEqualTo(3);
            assertThat(refused.out()).contains("refused: sequence store").contains("in use by another process")
                    .contains(dir.toString());
        }
        Run opened = child();
        assertThat(opened.exit()).isEqualTo(0);
        assertThat(opened.out()).isEqualTo("opened");
    }

    @Test
    void aSecondOpenInTheSameJvmIsRefusedUntilTheFirstCloses() {
        FileSequenceStore first = FileSequenceStore.open(dir);
        assertThatThrownBy(() -> FileSequenceStore.open(dir)).isInstanceOf(SequenceStoreException.class)
                .hasMessageContaining("already open in this process");
        assertThatThrownBy(() -> FileSequenceStore.open(dir.resolve(".").resolve("x").resolve("..")))
                .isInstanceOf(SequenceStoreException.class);
        first.close();
        FileSequenceStore.open(dir).close();
    }
}
