package dev.moat.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.sandbox.internal.GuestFiles;
import dev.moat.token.ResourceLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: while a granted directory is copied into the guest's file system, a process that can
 * write there keeps swapping a subfolder for a symlink to a host folder outside the grant. Over a
 * bounded number of copies racing the swaps, the copy never holds a byte from outside the grant.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CopyInRaceTest {
    @TempDir
    Path dir;

    @Test
    void aSubfolderSwappedForASymlinkIsNeverFollowed() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:SECRET-OUTSIDE-THE-GRANT");
        Path grant = Files.createDirectories(dir.resolve("grant"));
        Path sub = Files.createDirectories(grant.resolve("sub"));
        Files.writeString(sub.resolve("passwd"), "inside");
        Path parked = grant.resolve("sub.real");
        Path link = grant.resolve("sub.link");
        Files.createSymbolicLink(link, outside);
        ResourceLimits limits = ResourceLimits.builder().readPaths(java.util.List.of(grant.toString())).build();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger swaps = new AtomicInteger();
        Thread racer = new Thread(() -> {
            while (!stop.get()) {
                try { // sub -> sub.real, sub.link -> sub, then back
                    Files.move(sub, parked, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, sub, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(sub, link, StandardCopyOption.ATOMIC_MOVE);
                    Files.move(parked, sub, StandardCopyOption.ATOMIC_MOVE);
                    swaps.incrementAndGet();
                } catch (Exception ignored) {
                    // keep racing
                }
            }
        });
        racer.setDaemon(true);
        racer.start();
        int copies = 0;
        int sawInside = 0;
        try {
            for (int i = 0; i < 3000; i++) {
                try (GuestFiles files = GuestFiles.stage(limits, 1 << 20, 100)) {
                    copies++;
                    Path root = files.preopens().get(grant.toString());
                    for (String name : new String[] {"sub/passwd", "sub.real/passwd", "sub.link/passwd"}) {
                        Path p = root.resolve(name);
                        if (Files.exists(p)) {
                            String text = Files.readString(p, StandardCharsets.UTF_8);
                            assertThat(text).as("copy %d read %s", i, name).isEqualTo("inside");
                            sawInside++;
                        }
                    }
                }
            }
        } finally {
            stop.set(true);
            racer.join(5000);
        }
        assertThat(copies).isEqualTo(3000);
        assertThat(swaps.get()).as("the race really ran").isGreaterThan(100);
        assertThat(sawInside).as("the real folder was copied in most runs").isGreaterThan(100);
    }
}
