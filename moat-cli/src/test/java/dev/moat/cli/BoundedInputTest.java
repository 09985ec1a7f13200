package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks: {@code /dev/zero} (never ends, reports size 0) or a FIFO (blocks the open) given as
 * a token, identity, policy, module or input file; a 300 MB line in an audit log for
 * {@code audit show} (out of memory) and {@code audit tail} (a byte-by-byte scan). Each is refused
 * quickly with a clear message, never read whole.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BoundedInputTest {
    @TempDir
    Path dir;
    private Path fifo;

    @BeforeEach
    void setUp() throws Exception {
        fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(CliRun.in(dir, "identity", "generate", "--name", "alice", "--trust").exit()).isZero();
        assertThat(CliRun.in(dir, "token", "create", "--issuer", "alice", "--subject", "alice", "--resource", "tool://x",
                "--actions", "execute", "--out", "t.token").exit()).isZero();
    }

    private void refused(String... args) {
        CliRun r = CliRun.in(dir, args);
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err()).as(String.join(" ", args)).containsAnyOf("not a regular file", "larger than", "not a file");
    }

    @Test
    void devicesAndFifosAreRefusedWithoutReadingThem() {
        for (String bad : new String[] {"/dev/zero", fifo.toString()}) {
            refused("token", "inspect", "--token", bad);
            refused("token", "verify", "--token", bad);
            refused("identity", "import", bad);
            refused("policy", "check", bad);
            refused("sandbox", "run", "--token", "t.token", "--module", bad);
            refused("audit", "verify", "--path", bad);
            refused("audit", "tail", "--path", bad);
        }
    }

    @Test
    void aHugeLineInTheAuditLogIsRefusedNotBuffered() throws Exception {
        Path log = dir.resolve("huge.jsonl");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(300L * 1024 * 1024); // sparse: 300 MB of NUL bytes, no newline
        }
        CliRun show = CliRun.in(dir, "audit", "show", "--path", "huge.jsonl", "--index", "0");
        assertThat(show.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(show.err()).contains("exceeds");
        CliRun tail = CliRun.in(dir, "audit", "tail", "--path", "huge.jsonl");
        assertThat(tail.exit()).isEqualTo(ExitCodes.DENIED);
        assertThat(tail.err()).contains("exceeds");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.seek(f.length() - 1);
            f.write('\n'); // now terminated: still one 300 MB line
        }
        assertThat(CliRun.in(dir, "audit", "tail", "--path", "huge.jsonl").err()).contains("exceeds");
        assertThat(CliRun.in(dir, "audit", "show", "--path", "huge.jsonl", "--index", "0").err()).contains("exceeds");
    }
}
