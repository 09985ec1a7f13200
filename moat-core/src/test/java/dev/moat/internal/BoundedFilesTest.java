package dev.moat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.identity.KeyFiles;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /dev/zero} and a FIFO as a key or policy file: refused at once, never read (or opened). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BoundedFilesTest {
    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return fifo;
    }

    @Test
    void devicesFifosAndOversizedFilesAreRefused() throws Exception {
        Path fifo = fifo();
        for (Path bad : new Path[] {Path.of("/dev/zero"), fifo}) {
            assertThatThrownBy(() -> BoundedFiles.read(bad, 1024)).isInstanceOf(BoundedFiles.NotRegularFile.class);
            assertThatThrownBy(() -> KeyFiles.loadPublic(bad)).isInstanceOf(MoatException.class).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> MoatPolicy.load(bad)).isInstanceOf(PolicyException.class).hasMessageContaining("not a regular file");
        }
        Path big = dir.resolve("big");
        Files.write(big, new byte[1025]);
        assertThatThrownBy(() -> BoundedFiles.read(big, 1024)).isInstanceOf(BoundedFiles.TooLarge.class);
        assertThat(BoundedFiles.read(big, 1025)).hasSize(1025);
    }
}
