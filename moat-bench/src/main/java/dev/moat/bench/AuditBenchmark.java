package dev.moat.bench;

import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Audit log throughput, in entries per second. {@code baselineEntryHash} is the bare operation
 * (canonical encoding plus SHA-256 of one entry); {@code appendBatched} is a full append to a JSONL
 * file with group commit ({@code fsync} every 1000 entries or 50 ms, a signed checkpoint every 1000);
 * {@code appendEveryEntry} pays one {@code fsync} per append; {@code verify} streams a
 * {@value #VERIFY_ENTRIES}-entry file through {@link AuditVerifier} (score per entry).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditBenchmark {
    static final int VERIFY_ENTRIES = 100_000;
    static final AgentKeypair KEY = AgentKeypair.generate("bench-audit");

    static AuditEvent decision(long i) {
        return new AuditEvent.Decision("agent:abcdefghijklmnopqrstuvwxyz234567", "tool://search/web", "invoke", true, "pep3",
                null, null, "msg-" + i, null);
    }

    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh log per iteration, so the file does not grow without bound. No JMH annotations here. */
    abstract static class FreshLog {
        Path dir;
        AuditLog log;
        long i;

        void open(Durability durability) throws IOException {
            dir = Files.createTempDirectory("audit-bench");
            log = AuditLog.builder(JsonlAuditStore.builder(dir.resolve("audit.jsonl")).durability(durability).build(), KEY)
                    .checkpointEvery(1000).open();
        }

        void close() {
            log.close();
            deleteTree(dir);
        }
    }

    /** fsync every 1000 entries or 50 ms. */
    @State(Scope.Benchmark)
    public static class BatchedLog extends FreshLog {
        @Setup(Level.Iteration)
        public void setUp() throws IOException {
            open(Durability.batched(1000, Duration.ofMillis(50)));
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            close();
        }
    }

    /** fsync per append. */
    @State(Scope.Benchmark)
    public static class FsyncLog extends FreshLog {
        @Setup(Level.Iteration)
        public void setUp() throws IOException {
            open(Durability.everyEntry());
        }

        @TearDown(Level.Iteration)
        public void tearDown() {
            close();
        }
    }

    /** A closed log of {@value #VERIFY_ENTRIES} entries, written once. */
    @State(Scope.Benchmark)
    public static class WrittenLog {
        Path dir;
        Path file;

        @Setup(Level.Trial)
        public void write() throws IOException {
            dir = Files.createTempDirectory("audit-bench");
            file = dir.resolve("audit.jsonl");
            try (AuditLog log = AuditLog.builder(JsonlAuditStore.builder(file)
                    .durability(Durability.batched(1000, Duration.ofMillis(50))).build(), KEY).checkpointEvery(1000).open()) {
                for (int i = 0; i < VERIFY_ENTRIES; i++) {
                    log.append(decision(i));
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() {
            deleteTree(dir);
        }
    }

    @State(Scope.Thread)
    public static class Counter {
        long i;
        final Instant t = Instant.parse("2026-01-01T00:00:00Z");
        final byte[] prev = AuditEntry.genesisHash();
    }

    @Benchmark
    public AuditEntry baselineEntryHash(Counter c) {
        return AuditEntry.create(c.i, c.t, decision(c.i++), c.prev);
    }

    @Benchmark
    public AuditEntry appendBatched(BatchedLog s) {
        return s.log.append(decision(s.i++));
    }

    @Benchmark
    public AuditEntry appendEveryEntry(FsyncLog s) {
        return s.log.append(decision(s.i++));
    }

    @Benchmark
    @OperationsPerInvocation(VERIFY_ENTRIES)
    public AuditVerification verify(WrittenLog s) {
        AuditVerification v = AuditVerifier.forFile(s.file).publicKey(KEY.publicKey()).build().verify();
        if (!v.isIntact()) {
            throw new IllegalStateException("benchmark log does not verify: " + v);
        }
        return v;
    }
}
