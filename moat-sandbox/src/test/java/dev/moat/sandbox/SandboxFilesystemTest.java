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
@Timeout(value = 60, unit = TimeUnit.SECONDS)
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
    void writesIntoAReadOnlyGrantStayInMemory() {
        SandboxOutcome outcome = SANDBOX.run(load("file_upper"), grants(List.of(in.toString()), List.of()),
                args(in.resolve("a.txt"), in.resolve("copy.txt")));
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(outcome.report().filesWritten()).isEmpty();
        assertThat(in.resolve("copy.txt")).doesNotExist();
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
        assertThat(outcome).isInstanceOf(SandboxOutcome.Completed.class);
        assertThat(outcome.report().filesWritten()).isEmpty();
        assertThat(Files.readString(in.resolve("a.txt"))).isEqualTo("hello sandbox");
    }
}
