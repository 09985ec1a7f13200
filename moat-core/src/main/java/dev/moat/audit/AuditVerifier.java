package dev.moat.audit;

import dev.moat.crypto.Ed25519PublicKey;
import dev.moat.internal.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Verifies an audit log offline, streaming: constant memory (one line of at most
 * {@link AuditEntry#MAX_LINE_BYTES}), stops at the first problem and says which index broke and
 * how ({@link AuditBreak.Kind}). Steps per entry: well-formed canonical line, next index, previous
 * hash equals the hash of the entry before, stored hash equals the recomputed hash. Checkpoints are
 * checked as the chain reaches them: signature with the log key, head hash equal to the chain's.
 * At the end: no checkpoint may cover more entries than the log has (truncation), and a torn last
 * line is reported. Never throws for bad input; I/O errors are {@link AuditBreak.Kind#UNREADABLE}.
 */
public final class AuditVerifier {
    private static final int PROGRESS_EVERY = 8192;

    private final Path log;
    private final Ed25519PublicKey key;
    private final LongConsumer progress;
    private final boolean requireCheckpointAtHead;
    private final int maxLineBytes;

    private AuditVerifier(Builder b) {
        this.log = b.log;
        this.key = b.key;
        this.progress = b.progress;
        this.requireCheckpointAtHead = b.requireCheckpointAtHead;
        this.maxLineBytes = b.maxLineBytes;
    }

    /** A verifier for the JSONL log at {@code log} and its {@code .checkpoints} (and {@code .key}) sidecars. */
    public static Builder forFile(Path log) {
        return new Builder(log);
    }

    /**
     * Verifies entries and checkpoints held in memory (for example an {@link InMemoryAuditStore}),
     * with the same steps and results as a file.
     */
    public static AuditVerification verify(List<AuditEntry> entries, List<AuditCheckpoint> checkpoints, Ed25519PublicKey key) {
        Objects.requireNonNull(key, "key");
        Iterator<AuditCheckpoint> it = checkpoints.iterator();
        long[] line = {0};
        ChainVerifier v = new ChainVerifier(key, new ChainVerifier.CheckpointSource() {
            @Override
            public AuditCheckpoint next() {
                if (!it.hasNext()) {
                    return null;
                }
                line[0]++;
                return it.next();
            }

            @Override
            public long line() {
                return line[0];
            }

            @Override
            public AuditBreak tornTail() {
                return null;
            }
        });
        AuditBreak b = v.start();
        long n = 0;
        for (AuditEntry e : entries) {
            if (b != null) {
                break;
            }
            n++;
            byte[] computed = AuditEntryCodec.hash(e.index(), e.time(), e.event(), e.previousHashRef());
            b = v.accept(e, computed, n);
        }
        return b != null ? v.broken(b) : v.finish(null, false, AuditVerification.KeyTrust.PROVIDED);
    }

    /**
     * Verifies a chain kept somewhere other than a file (for example rows of a database), given as
     * its stored lines in order (each without a newline): the same steps and results as a file, with
     * line numbers counting the lines given. Streams: memory stays constant. An exception thrown by
     * either iterator propagates; the caller reports its source as unreadable. {@code trust} says
     * where {@code key} came from, and is repeated in the result.
     */
    public static AuditVerification verifyLines(Iterator<String> entryLines, Iterator<String> checkpointLines,
                                                Ed25519PublicKey key, AuditVerification.KeyTrust trust,
                                                boolean requireCheckpointAtHead) {
        Objects.requireNonNull(entryLines, "entryLines");
        Objects.requireNonNull(checkpointLines, "checkpointLines");
        Objects.requireNonNull(key, "key");
        long[] cpLine = {0};
        ChainVerifier v = new ChainVerifier(key, new ChainVerifier.CheckpointSource() {
            @Override
            public AuditCheckpoint next() {
                if (!checkpointLines.hasNext()) {
                    return null;
                }
                cpLine[0]++;
                String line = checkpointLines.next();
                try {
                    return AuditCheckpoint.fromJsonLine(line);
                } catch (RuntimeException e) {
                    throw new ChainVerifier.BreakException(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.CHECKPOINTS,
                            0, cpLine[0], detail(e)));
                }
            }

            @Override
            public long line() {
                return cpLine[0];
            }

            @Override
            public AuditBreak tornTail() {
                return null;
            }
        });
        AuditBreak b = v.start();
        long n = 0;
        while (b == null && entryLines.hasNext()) {
            n++;
            byte[] bytes = entryLines.next().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            long index = v.entriesVerified();
            if (bytes.length > AuditEntry.MAX_LINE_BYTES - 1) {
                b = new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, index, n,
                        "line exceeds " + (AuditEntry.MAX_LINE_BYTES - 1) + " bytes");
                break;
            }
            AuditEntryCodec.Parsed p;
            try {
                p = AuditEntryCodec.parse(bytes, bytes.length);
            } catch (RuntimeException e) {
                b = new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, index, n, detail(e));
                break;
            }
            b = v.accept(p.entry(), p.computedHash(), n);
        }
        return b != null ? v.broken(b) : v.finish(null, requireCheckpointAtHead, Objects.requireNonNull(trust, "trust"));
    }

    /** Runs the verification. */
    public AuditVerification verify() {
        AuditVerification.KeyTrust trust = AuditVerification.KeyTrust.PROVIDED;
        Ed25519PublicKey k = key;
        if (!Files.exists(log)) {
            return missing(AuditBreak.Source.LOG, "log file does not exist");
        }
        Path cpPath = JsonlAuditStore.checkpointsPath(log);
        if (!Files.exists(cpPath)) {
            return missing(AuditBreak.Source.CHECKPOINTS, "checkpoint file does not exist");
        }
        if (k == null) {
            Path keyPath = JsonlAuditStore.keyPath(log);
            try {
                k = LogKeyFile.read(keyPath);
                trust = AuditVerification.KeyTrust.SELF_ASSERTED;
            } catch (NoSuchFileException e) {
                return missing(AuditBreak.Source.KEY, "no key given and no key file");
            } catch (IOException e) {
                return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.UNREADABLE, AuditBreak.Source.KEY, 0, 0, e.getClass().getSimpleName()), 0);
            } catch (Rejection e) {
                return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.KEY, 0, 1, e.getMessage()), 0);
            }
        }
        for (Path f : new Path[] {log, cpPath}) {
            if (Files.exists(f) && !Files.isRegularFile(f)) { // a FIFO would block the open, a device never ends
                return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.UNREADABLE,
                        f == log ? AuditBreak.Source.LOG : AuditBreak.Source.CHECKPOINTS, 0, 0, "not a regular file"), 0);
            }
        }
        try (InputStream logIn = Files.newInputStream(log); InputStream cpIn = Files.newInputStream(cpPath)) {
            return run(logIn, new FileCheckpoints(new BoundedLineReader(cpIn, AuditCheckpoint.MAX_LINE_BYTES)), k, trust);
        } catch (NoSuchFileException e) {
            return missing(AuditBreak.Source.LOG, "file disappeared");
        } catch (IOException | UncheckedIo e) {
            return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.UNREADABLE, AuditBreak.Source.LOG, 0, 0, e.getClass().getSimpleName()), 0);
        }
    }

    private AuditVerification run(InputStream logIn, FileCheckpoints cps, Ed25519PublicKey k, AuditVerification.KeyTrust trust)
            throws IOException {
        ChainVerifier v = new ChainVerifier(k, cps);
        AuditBreak b = v.start();
        if (b != null) {
            return v.broken(b);
        }
        BoundedLineReader lines = new BoundedLineReader(logIn, maxLineBytes);
        AuditBreak torn = null;
        while (true) {
            BoundedLineReader.Status s = lines.next();
            if (s == BoundedLineReader.Status.END) {
                break;
            }
            long index = v.entriesVerified();
            if (s == BoundedLineReader.Status.TORN) {
                torn = new AuditBreak(AuditBreak.Kind.TORN_TAIL, AuditBreak.Source.LOG, index, lines.lineNumber(),
                        lines.length() + " bytes of an unterminated last line");
                break;
            }
            if (s == BoundedLineReader.Status.OVERSIZED) {
                return v.broken(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, index, lines.lineNumber(),
                        "line exceeds " + maxLineBytes + " bytes"));
            }
            AuditEntryCodec.Parsed p;
            try {
                p = AuditEntryCodec.parse(lines.bytes(), lines.length());
            } catch (RuntimeException e) { // Rejection, or anything unforeseen in untrusted input: malformed, never a crash
                return v.broken(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.LOG, index, lines.lineNumber(), detail(e)));
            }
            b = v.accept(p.entry(), p.computedHash(), lines.lineNumber());
            if (b != null) {
                return v.broken(b);
            }
            if (progress != null && v.entriesVerified() % PROGRESS_EVERY == 0) {
                progress.accept(v.entriesVerified());
            }
        }
        if (progress != null) {
            progress.accept(v.entriesVerified());
        }
        if (cps.failure != null) {
            throw cps.failure;
        }
        return v.finish(torn, requireCheckpointAtHead, trust);
    }

    private static String detail(RuntimeException e) {
        return e instanceof Rejection ? e.getMessage() : "unparseable (" + e.getClass().getSimpleName() + ")";
    }

    private static AuditVerification missing(AuditBreak.Source source, String detail) {
        return new AuditVerification.Broken(new AuditBreak(AuditBreak.Kind.MISSING, source, 0, 0, detail), 0);
    }

    /** An I/O failure while pulling checkpoints, carried out of the source. */
    private static final class UncheckedIo extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedIo(IOException cause) {
            super(cause);
        }
    }

    /** Checkpoints read line by line from the sidecar file. */
    private static final class FileCheckpoints implements ChainVerifier.CheckpointSource {
        private final BoundedLineReader lines;
        private AuditBreak torn;
        private UncheckedIo failure;

        FileCheckpoints(BoundedLineReader lines) {
            this.lines = lines;
        }

        @Override
        public AuditCheckpoint next() {
            BoundedLineReader.Status s;
            try {
                s = lines.next();
            } catch (IOException e) {
                failure = new UncheckedIo(e);
                throw failure;
            }
            switch (s) {
                case END:
                    return null;
                case TORN:
                    torn = new AuditBreak(AuditBreak.Kind.TORN_TAIL, AuditBreak.Source.CHECKPOINTS, 0, lines.lineNumber(),
                            "unterminated last checkpoint line");
                    return null;
                case OVERSIZED:
                    throw new ChainVerifier.BreakException(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.CHECKPOINTS,
                            0, lines.lineNumber(), "checkpoint line too long"));
                default:
                    break;
            }
            try {
                return AuditCheckpoint.parse(Arrays.copyOf(lines.bytes(), lines.length()));
            } catch (RuntimeException e) {
                throw new ChainVerifier.BreakException(new AuditBreak(AuditBreak.Kind.MALFORMED_LINE, AuditBreak.Source.CHECKPOINTS,
                        0, lines.lineNumber(), detail(e)));
            }
        }

        @Override
        public long line() {
            return lines.lineNumber();
        }

        @Override
        public AuditBreak tornTail() {
            return torn;
        }
    }

    /** Options for {@link AuditVerifier}. */
    public static final class Builder {
        private final Path log;
        private Ed25519PublicKey key;
        private LongConsumer progress;
        private boolean requireCheckpointAtHead;
        private int maxLineBytes = AuditEntry.MAX_LINE_BYTES - 1;

        private Builder(Path log) {
            this.log = Objects.requireNonNull(log, "log");
        }

        /**
         * The log's public key, from a source the caller trusts. Without it the {@code .key} sidecar
         * is read and the result says {@link AuditVerification.KeyTrust#SELF_ASSERTED}.
         */
        public Builder publicKey(Ed25519PublicKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Called with the number of entries verified so far, every few thousand entries and at the end. */
        public Builder progress(LongConsumer progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Fail with {@link AuditBreak.Kind#UNCHECKPOINTED_TAIL} unless the last checkpoint covers the
         * last entry (true for a log that was closed cleanly).
         */
        public Builder requireCheckpointAtHead() {
            this.requireCheckpointAtHead = true;
            return this;
        }

        /** Longest accepted line without its newline (default {@link AuditEntry#MAX_LINE_BYTES} - 1). */
        public Builder maxLineBytes(int maxLineBytes) {
            if (maxLineBytes < 64) {
                throw new IllegalArgumentException("maxLineBytes too small");
            }
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        public AuditVerifier build() {
            return new AuditVerifier(this);
        }
    }
}
