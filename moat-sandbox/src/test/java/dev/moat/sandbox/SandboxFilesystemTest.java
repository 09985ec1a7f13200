package dev.moat.sandbox;

import static dev.moat.sandbox.Skills.json;
import static dev.moat.sandbox.Skills.load;
import static dev.moat.sandbox.Skills.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.token.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Granted paths are copies in memory; only writable grants are written back, only on success. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxFilesystemTest {
    private static final Sandbox SANDBOX = Sandbox.builder().build();

    @TempDir
    Path tmp;
    private Path in;
    private Path out;

    @BeforeEach
    void setUp() throws IOException {
        in = Files.createDirectories(tmp.resolve("in"));
        out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(in.resolve("a.txt"), "hello sandbox");
    }

    private byte[] args(Path src, Path dst) {
        return json("{\"src\":\"" + src + "\",\"dst\":\"" + dst + "\"}");
    }

    private ResourceLimits grants(List<String> read, List<String> write) {
        return ResourceLimits.builder().readPaths(read).writePaths(write).build();
    }

    @Test
    void readsFromAReadGrantAndWritesBackToAWriteGrant() throws IOException {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), grants(List.of(in.toString()), List.of(out.toString())),
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(text(((SandboxOutcome.Completed) outcome).stdout())).isEqualTo("{\"copied\":13}");
        assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("HELLO SANDBOX");
        assertThat(outcome.report().filesWritten()).containsExactly(out.resolve("b.txt").toString());
        assertThat(Files.readString(in.resolve("a.txt"))).isEqualTo("hello sandbox");
    }

    @Test
    void nothingIsGrantedByDefault() {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), ResourceLimits.UNLIMITED_COMPUTE_NO_IO,
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.EXIT_NONZERO);
        assertThat(outcome.report().exitCode()).isEqualTo(3); // could not open src
        assertThat(out.resolve("b.txt")).doesNotExist();
    }

    @Test
    void aReadOnlyGrantIsReadOnlyInsideTheGuestToo() {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), grants(List.of(in.toString()), List.of()),
                args(in.resolve("a.txt"), in.resolve("copy.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.EXIT_NONZERO); // could not open dst
        assertThat(outcome.report().filesWritten()).isEmpty();
        assertThat(in.resolve("copy.txt")).doesNotExist();

        SandboxOutcome mkdir = SANDBOX.run(load("mkdir_once"), grants(List.of(in.toString()), List.of()), json("{}"));
        assertThat(mkdir.report().exitCode()).as("EROFS").isEqualTo(69);
        SandboxOutcome writable = SANDBOX.run(load("mkdir_once"), grants(List.of(), List.of(out.toString())), json("{}"));
        assertThat(writable).isInstanceOf(SandboxOutcome.Completed.class);
    }

    /** The attack: directories cost host memory but were not counted; two such runs drove the host out of memory. */
    @Test
    void everyGuestFileSystemChangeIsCountedAndCapped() {
        SandboxOutcome outcome = SANDBOX.run(load("mkdir_flood"), ResourceLimits.builder().writePaths(List.of(out.toString()))
                .maxWallTime(java.time.Duration.ofSeconds(30)).build(), json("{}"));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.FS_LIMIT);
        assertThat(((SandboxOutcome.Stopped) outcome).detail()).contains("file system changes");
        assertThat(SANDBOX.run(load("mkdir_flood"), grants(List.of(in.toString()), List.of()), json("{}")))
                .as("read-only: refused, never created").satisfies(o -> assertThat(o).isInstanceOf(SandboxOutcome.Stopped.class));
    }

    @Test
    void nothingIsWrittenBackWhenTheRunFails() {
        Sandbox tinyOutput = Sandbox.builder().maxOutputBytes(4).build();
        SandboxOutcome outcome = tinyOutput.run(load("file_upper"), grants(List.of(in.toString()), List.of(out.toString())),
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.OUTPUT_LIMIT);
        assertThat(out.resolve("b.txt")).doesNotExist();
    }

    @Test
    void aGrantThroughASymlinkIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-in"), in);
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), grants(List.of(link.toString()), List.of()),
                args(link.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.IO_DENIED);
        assertThat(outcome.report().fuelUsed()).isNull();
    }

    @Test
    void writeBackNeverFollowsAHostSymlink() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "unchanged");
        Files.createSymbolicLink(out.resolve("b.txt"), victim);
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), grants(List.of(in.toString()), List.of(out.toString())),
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.IO_DENIED);
        assertThat(Files.readString(victim)).isEqualTo("unchanged");
        assertThat(Files.isSymbolicLink(out.resolve("b.txt"))).isTrue();
    }

    @Test
    void grantsOverTheCopyLimitAreRefused() throws IOException {
        Files.write(in.resolve("big.bin"), new byte[200_000]);
        Sandbox small = Sandbox.builder().maxFsBytes(100_000).build();
        SandboxOutcome outcome = small.run(load("file_upper"), grants(List.of(in.toString()), List.of()),
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.FS_LIMIT);
    }

    @Test
    void aSingleFileCanBeGranted() throws IOException {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"),
                grants(List.of(in.resolve("a.txt").toString()), List.of(out.toString())),
                args(in.resolve("a.txt"), out.resolve("b.txt")));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("HELLO SANDBOX");
    }

    @Test
    void twoSingleFilesInOneDirectoryAreMergedWithTheirOwnRights() throws IOException {
        Files.writeString(in.resolve("other.txt"), "not granted");
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"),
                grants(List.of(in.resolve("a.txt").toString()), List.of(in.resolve("b.txt").toString())),
                args(in.resolve("a.txt"), in.resolve("b.txt")));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(Files.readString(in.resolve("b.txt"))).isEqualTo("HELLO SANDBOX");
        assertThat(outcome.report().filesWritten()).containsExactly(in.resolve("b.txt").toString());
    }

    @Test
    void aFileOutsideTheSingleFileGrantIsInvisible() throws IOException {
        Files.writeString(in.resolve("other.txt"), "not granted");
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"),
                grants(List.of(in.resolve("a.txt").toString()), List.of(out.toString())),
                args(in.resolve("other.txt"), out.resolve("b.txt")));
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.EXIT_NONZERO);
        assertThat(outcome.report().exitCode()).isEqualTo(3); // could not open src
    }

    @Test
    void aReadOnlyFileInsideAWritableGrantIsNotWrittenBack() throws IOException {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"),
                grants(List.of(in.resolve("a.txt").toString()), List.of()),
                args(in.resolve("a.txt"), in.resolve("a.txt")));
        // read-only inside the guest too: opening it for writing fails, and nothing reaches the host
        assertThat(((SandboxOutcome.Stopped) outcome).reason()).isEqualTo(SandboxFailure.EXIT_NONZERO);
        assertThat(outcome.report().filesWritten()).isEmpty();
        assertThat(Files.readString(in.resolve("a.txt"))).isEqualTo("hello sandbox");
    }

    /**
     * The attack: while a granted directory is copied into the guest's file system, a process that
     * can write there keeps swapping a subfolder for a symlink to a folder outside the grant. Over a
     * bounded number of copies racing the swaps, the copy never holds a byte from outside the grant.
     */
    @Test
    void aSubfolderSwappedForASymlinkDuringCopyInIsNeverFollowed() throws Exception {
        Path dir = tmp.resolve("race");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "root:x:0:0:SECRET-OUTSIDE-THE-GRANT");
        Path grant = Files.createDirectories(dir.resolve("grant"));
        Path sub = Files.createDirectories(grant.resolve("sub"));
        Files.writeString(sub.resolve("passwd"), "inside");
        Path parked = grant.resolve("sub.real");
        Path link = grant.resolve("sub.link");
        Files.createSymbolicLink(link, outside);
        ResourceLimits limits = ResourceLimits.builder().readPaths(java.util.List.of(grant.toString())).build();

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger swaps = new java.util.concurrent.atomic.AtomicInteger();
        Thread racer = new Thread(() -> {
            while (!stop.get()) {
                try { // sub -> sub.real, sub.link -> sub, then back
                    Files.move(sub, parked, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Files.move(link, sub, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Files.move(sub, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Files.move(parked, sub, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
                try (dev.moat.sandbox.internal.GuestFiles files = dev.moat.sandbox.internal.GuestFiles.stage(limits, 1 << 20, 100)) {
                    copies++;
                    Path root = files.preopens().get(grant.toString());
                    for (String name : new String[] {"sub/passwd", "sub.real/passwd", "sub.link/passwd"}) {
                        Path p = root.resolve(name);
                        if (Files.exists(p)) {
                            String text = Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
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
