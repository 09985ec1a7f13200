package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentKeypair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Codec round trip for arbitrary events, and: any single-byte change to a log or its checkpoints is detected. */
class AuditProperties {
    private static final AgentKeypair KEY = AuditFixtures.LOG_KEY;
    private static Path dir;
    private static byte[] logBytes;
    private static byte[] cpBytes;

    @BeforeContainer
    static void writeLog() throws IOException {
        dir = Files.createTempDirectory("audit-props");
        Path log = AuditFixtures.writeLog(dir.resolve("orig"), 25, 6);
        logBytes = Files.readAllBytes(log);
        cpBytes = Files.readAllBytes(JsonlAuditStore.checkpointsPath(log));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40).injectNull(0.2);
    }

    @Provide
    Arbitrary<AuditEvent> events() {
        Arbitrary<String> s = text();
        Arbitrary<Long> n = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Arbitraries.oneOf(
                Combinators.combine(s, s, s, Arbitraries.of(true, false), s, s, s, s).as((a, b, c, d, e, f, g, h) ->
                        new AuditEvent.Decision(a, b, c, d, e, f, g, h, null)),
                Combinators.combine(s, s, Arbitraries.of(AuditEvent.ToolOutcome.Status.class), s, n).as((a, b, st, e, d) ->
                        new AuditEvent.ToolOutcome(a, b, "invoke", null, st, e, a, d)),
                Combinators.combine(s, n.injectNull(0.3), n, n, Arbitraries.integers().injectNull(0.3), s).as((a, f, m, d, x, r) ->
                        new AuditEvent.SandboxRun(a, "sha", f, m, d, x, r)),
                Combinators.combine(s, s, Arbitraries.of(true, false), s).as((a, h, g, r) -> new AuditEvent.SecretResolution(a, h, "x", g, r)),
                Combinators.combine(s, s, Arbitraries.of(AuditEvent.MonitorAlert.Action.class), s).as(AuditEvent.MonitorAlert::new),
                Combinators.combine(Arbitraries.of(AuditEvent.Lifecycle.Kind.class), s, s).as(AuditEvent.Lifecycle::new));
    }

    @Property(tries = 500)
    void anyEntryRoundTripsThroughItsLine(@ForAll("events") AuditEvent event,
                                          @ForAll("indexes") long index,
                                          @ForAll("millis") long millis) {
        AuditEntry e = AuditEntry.create(index, Instant.ofEpochMilli(millis), event, AuditEntry.genesisHash());
        byte[] line = e.toJsonLine().getBytes(StandardCharsets.UTF_8);
        assertThat(line).doesNotContain((byte) '\n');
        AuditEntryCodec.Parsed p = AuditEntryCodec.parse(line, line.length);
        assertThat(p.entry()).isEqualTo(e);
        assertThat(p.computedHash()).isEqualTo(e.hash());
    }

    @Provide
    Arbitrary<Long> indexes() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<Long> millis() {
        // years 0000-9999: the range RFC 3339 can write
        return Arbitraries.longs().between(-62167219200000L, 253402300799999L);
    }

    @Property(tries = 400)
    void anySingleByteChangeToTheLogIsDetected(@ForAll("positionsInLog") int position, @ForAll("deltas") int delta) throws IOException {
        byte[] tampered = logBytes.clone();
        tampered[position] = (byte) (tampered[position] + delta);
        assertThat(verifyCopy(tampered, cpBytes).isIntact()).isFalse();
    }

    @Property(tries = 200)
    void anySingleByteChangeToTheCheckpointsIsDetected(@ForAll("positionsInCheckpoints") int position, @ForAll("deltas") int delta)
            throws IOException {
        byte[] tampered = cpBytes.clone();
        tampered[position] = (byte) (tampered[position] + delta);
        assertThat(verifyCopy(logBytes, tampered).isIntact()).isFalse();
    }

    @Provide
    Arbitrary<Integer> positionsInLog() {
        return Arbitraries.integers().between(0, logBytes.length - 1);
    }

    @Provide
    Arbitrary<Integer> positionsInCheckpoints() {
        return Arbitraries.integers().between(0, cpBytes.length - 1);
    }

    @Provide
    Arbitrary<Integer> deltas() {
        return Arbitraries.integers().between(1, 255);
    }

    private static AuditVerification verifyCopy(byte[] log, byte[] cps) throws IOException {
        Path d = Files.createTempDirectory(dir, "try");
        Path file = d.resolve("audit.jsonl");
        Files.write(file, log);
        Files.write(JsonlAuditStore.checkpointsPath(file), cps);
        return AuditVerifier.forFile(file).publicKey(KEY.publicKey()).build().verify();
    }
}
