package dev.moat.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.moat.identity.AgentId;
import dev.moat.internal.AtomicFiles;
import dev.moat.internal.Rejection;
import dev.moat.internal.StrictJson;
import dev.moat.json.CanonicalJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A durable {@link SequenceStore} in a directory: an append-only journal
 * ({@code sequences.journal}) compacted now and then into a snapshot ({@code sequences.json},
 * replaced atomically), with <b>no fsync per accepted message</b> (spec/PROTOCOL.md 10.6):
 *
 * <ul>
 *   <li>Each accepted number is written to the journal ({@code "<agent id> <seq>\n"}) before
 *       {@link #advance} returns: the operating system holds it, so a killed process (SIGKILL,
 *       OOM kill, crash of the JVM) loses nothing.</li>
 *   <li>Against power loss or a kernel crash, which can lose what was not yet fsynced, each sender
 *       has a <em>reservation</em>: a ceiling, fsynced, at or above every number accepted for it.
 *       A number above the ceiling first raises it to {@code seq + reservation} with one fsynced
 *       line ({@code "<agent id> <seq> <ceiling>\n"}); numbers up to the ceiling need no fsync. With
 *       clock-based sequence numbers (microseconds) and the default reservation of 2<sup>20</sup>,
 *       that is about one fsync per sender per second, however many calls.</li>
 *   <li>After an unclean stop (no {@link #close()} since the last open), every sender's last
 *       accepted number is taken to be its ceiling: numbers that may have been accepted and lost
 *       in the unsynced tail are refused, so nothing is accepted twice. Signers seeded from
 *       {@link #last} continue above it. A clean {@link #close()} fsyncs and records the exact
 *       values (no jump).</li>
 * </ul>
 *
 * <p>On open, a torn last journal line (a crash during the write, so that call was never allowed)
 * is dropped; after an unclean stop, unreadable bytes after the last fsynced reservation line (a
 * power cut's unsynced tail) are dropped too, since the ceilings cover them. Any other damage is a
 * startup error. Replays are refused without touching the disk.
 *
 * <p>The store holds an exclusive lock for its whole life: {@code sequences.lock} in the directory,
 * locked with {@link FileChannel#tryLock()} (refusing another process) and registered in an
 * in-process set of open directories (refusing a second open in this JVM, which file locks do not
 * see). Two stores on one directory could each accept the same message; the second open fails with
 * a {@link SequenceStoreException} naming the directory.
 */
public final class FileSequenceStore implements SequenceStore {
    static final String JOURNAL = "sequences.journal";
    static final String SNAPSHOT = "sequences.json";
    static final String LOCK = "sequences.lock";
    /** Default reservation: 2^20 sequence numbers (about one second of microsecond-clock numbers). */
    public static final long DEFAULT_RESERVATION = 1L << 20;
    private static final java.util.Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final int COMPACT_AFTER = 50_000;
    private static final int MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

    private final Path dir;
    private final long reservation;
    private final ConcurrentHashMap<AgentId, Long> last = new ConcurrentHashMap<>();
    private final Map<AgentId, Long> reserved = new java.util.HashMap<>(); // under this
    private FileChannel journal;
    private FileChannel lockChannel;
    private java.nio.channels.FileLock lock;
    private Path lockKey;
    private int journalLines;
    private boolean closed;
    private boolean recoveredUnclean;
    private long fsyncs;

    private FileSequenceStore(Path dir, long reservation) {
        this.dir = dir;
        this.reservation = reservation;
    }

    /** Opens (or creates) the store in {@code dir} with the {@link #DEFAULT_RESERVATION}. */
    public static FileSequenceStore open(Path dir) {
        return open(dir, DEFAULT_RESERVATION);
    }

    /**
     * Opens (or creates) the store in {@code dir}; each fsynced reservation covers the next
     * {@code reservation} sequence numbers of a sender above the one accepted (0 gives an fsync per accepted number, the
     * behaviour of earlier versions; larger values mean fewer fsyncs and a larger jump of
     * {@link #last} after an unclean stop).
     */
    public static FileSequenceStore open(Path dir, long reservation) {
        if (reservation < 0) {
            throw new IllegalArgumentException("reservation must not be negative");
        }
        FileSequenceStore s = new FileSequenceStore(dir, reservation);
        try {
            Files.createDirectories(dir);
            s.acquireLock();
            boolean clean = s.loadSnapshot();
            s.replayJournal(!clean);
            s.recoveredUnclean = !clean;
            if (!clean) {
                // the restart rule: whatever may have been accepted and lost counts as accepted
                s.reserved.forEach((id, ceiling) -> s.last.merge(id, ceiling, Math::max));
            }
            s.reserved.clear();
            s.last.forEach(s.reserved::put); // no headroom until a fsynced line grants it
            s.journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            s.compact(); // from here on the state on disk says "running": a stop without close() is unclean
        } catch (IOException e) {
            s.closeJournalQuietly();
            s.releaseLock();
            throw new SequenceStoreException("cannot open sequence store in " + dir + ": " + e.getClass().getSimpleName(), e);
        } catch (RuntimeException e) {
            s.closeJournalQuietly();
            s.releaseLock();
            throw e;
        }
        return s;
    }

    private void acquireLock() throws IOException {
        Path key = dir.toRealPath();
        if (!OPEN_IN_THIS_JVM.add(key)) {
            throw new SequenceStoreException("sequence store " + dir + " is already open in this process");
        }
        lockKey = key;
        lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new SequenceStoreException("sequence store " + dir + " is in use by another process (" + LOCK
                    + " is locked): two replay stores on one directory would accept the same message twice");
        }
    }

    private void closeJournalQuietly() {
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException ignored) {
            // failing to open already
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            lock = null;
            lockChannel = null;
            if (lockKey != null) {
                OPEN_IN_THIS_JVM.remove(lockKey);
                lockKey = null;
            }
        }
    }

    @Override
    public boolean advance(AgentId sender, long seq) {
        Long prev = last.get(sender);
        if (seq < 0 || prev != null && seq <= prev) {
            return false; // replay: no disk access
        }
        synchronized (this) {
            if (closed) {
                throw new SequenceStoreException("sequence store is closed");
            }
            prev = last.get(sender);
            if (prev != null && seq <= prev) {
                return false;
            }
            Long ceiling = reserved.get(sender);
            boolean reserve = ceiling == null || seq > ceiling;
            long next = reserve ? (seq > Long.MAX_VALUE - reservation ? Long.MAX_VALUE : seq + reservation) : 0;
            String text = reserve ? sender.value() + " " + seq + " " + next + "\n" : sender.value() + " " + seq + "\n";
            try {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
                while (buf.hasRemaining()) {
                    journal.write(buf); // in the OS before we return: survives a killed process
                }
                if (reserve) {
                    journal.force(false); // the ceiling survives a power cut
                    fsyncs++;
                    reserved.put(sender, next);
                }
            } catch (IOException e) {
                throw new SequenceStoreException("cannot persist sequence number: " + e.getClass().getSimpleName(), e);
            }
            last.put(sender, seq);
            if (++journalLines >= COMPACT_AFTER) {
                compact();
            }
            return true;
        }
    }

    /** True when this open found the store not cleanly closed, and applied the restart rule. */
    public boolean recoveredFromUncleanStop() {
        return recoveredUnclean;
    }

    /** fsyncs made by {@link #advance} since open (reservations only): for tests and benchmarks. */
    public synchronized long advanceFsyncs() {
        return fsyncs;
    }

    /** {@inheritDoc} Locked to this process for its whole life (true). */
    @Override
    public boolean exclusiveToThisProcess() {
        return true;
    }

    @Override
    public long last(AgentId sender) {
        return last.getOrDefault(sender, -1L);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            journal.force(false);
            writeSnapshot(true); // exact values: the next open needs no restart rule
            journal.truncate(0);
            journal.force(true);
            journal.close();
        } catch (IOException e) {
            throw new SequenceStoreException("cannot close sequence journal", e);
        } finally {
            releaseLock();
        }
    }

    private void compact() {
        try {
            journal.force(false);
            writeSnapshot(false);
            journal.truncate(0);
            journal.force(true);
            journalLines = 0;
        } catch (IOException e) {
            throw new SequenceStoreException("cannot compact sequence journal: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Snapshot, version 2: {@code {"clean":<bool>,"last":{id:seq},"reserved":{id:ceiling},"v":2}}.
     * {@code clean} is true only when written by {@link #close()}. Version 1 ({@code {"last":..,"v":1}},
     * written by earlier versions, whose journal lines were each fsynced) is read as clean.
     */
    private void writeSnapshot(boolean clean) throws IOException {
        Map<String, Object> values = new TreeMap<>();
        last.forEach((k, v) -> values.put(k.value(), v));
        Map<String, Object> ceilings = new TreeMap<>();
        if (!clean) {
            reserved.forEach((k, v) -> ceilings.put(k.value(), v));
        }
        Map<String, Object> doc = new TreeMap<>();
        doc.put("v", 2L);
        doc.put("clean", clean);
        doc.put("last", values);
        doc.put("reserved", ceilings);
        AtomicFiles.write(dir.resolve(SNAPSHOT), CanonicalJson.encode(doc));
    }

    /** Loads the snapshot; true when the store was closed cleanly (or never used). */
    private boolean loadSnapshot() throws IOException {
        Path f = dir.resolve(SNAPSHOT);
        if (!Files.exists(f)) {
            return true;
        }
        if (Files.size(f) > MAX_SNAPSHOT_BYTES) {
            throw new SequenceStoreException("sequence snapshot " + f + " is too large");
        }
        try {
            ObjectNode doc = StrictJson.parseObject(Files.readAllBytes(f), MAX_SNAPSHOT_BYTES, "sequence snapshot");
            long v = doc.path("v").isIntegralNumber() ? doc.get("v").asLong() : -1;
            boolean v1 = v == 1 && doc.size() == 2;
            boolean v2 = v == 2 && doc.size() == 4 && doc.path("clean").isBoolean() && doc.path("reserved").isObject();
            if (!(v1 || v2) || !doc.path("last").isObject()) {
                throw new SequenceStoreException("sequence snapshot " + f + " is corrupt");
            }
            readNumbers(doc.get("last"), last, f);
            if (v2) {
                readNumbers(doc.get("reserved"), reserved, f);
            }
            return v1 || doc.get("clean").asBoolean();
        } catch (Rejection r) {
            throw new SequenceStoreException("sequence snapshot " + f + " is corrupt: " + r.failure().detail());
        }
    }

    private static void readNumbers(JsonNode node, Map<AgentId, Long> into, Path f) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!AgentId.isWellFormed(e.getKey()) || !e.getValue().isIntegralNumber() || !e.getValue().canConvertToLong()
                    || e.getValue().asLong() < 0) {
                throw new SequenceStoreException("sequence snapshot " + f + " is corrupt");
            }
            into.merge(new AgentId(e.getKey()), e.getValue().asLong(), Math::max);
        }
    }

    /**
     * Reads the journal into {@link #last} and {@link #reserved}. A torn last line is cut off. After
     * an unclean stop ({@code unclean}), an unreadable line with no readable reservation line after
     * it is a power cut's unsynced tail (never fsynced, every number in it under a ceiling fsynced
     * before it): it and what follows are cut off. Anything else unreadable is a startup error.
     */
    private void replayJournal(boolean unclean) throws IOException {
        Path f = dir.resolve(JOURNAL);
        if (!Files.exists(f)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(f);
        int start = 0;
        int lineNo = 0;
        int cutAt = -1;
        int badLine = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, start, i - start, StandardCharsets.US_ASCII);
            String[] parts = line.split(" ", -1);
            try {
                if (parts.length < 2 || parts.length > 3 || !AgentId.isWellFormed(parts[0])) {
                    throw new NumberFormatException();
                }
                long seq = Long.parseLong(parts[1]);
                long ceiling = parts.length == 3 ? Long.parseLong(parts[2]) : -1;
                if (seq < 0 || parts.length == 3 && ceiling < seq) {
                    throw new NumberFormatException();
                }
                if (cutAt >= 0) {
                    if (parts.length == 3) {
                        // a fsynced line after damage: the damage is not an unsynced tail
                        throw new SequenceStoreException("sequence journal " + f + " is corrupt at line " + badLine);
                    }
                } else {
                    AgentId id = new AgentId(parts[0]);
                    last.merge(id, seq, Math::max);
                    if (ceiling >= 0) {
                        reserved.merge(id, ceiling, Math::max);
                    }
                }
            } catch (NumberFormatException e) {
                if (!unclean) {
                    throw new SequenceStoreException("sequence journal " + f + " is corrupt at line " + lineNo);
                }
                if (cutAt < 0) {
                    cutAt = start;
                    badLine = lineNo;
                }
            }
            start = i + 1;
        }
        journalLines = lineNo;
        int keep = cutAt >= 0 ? cutAt : start;
        if (keep < bytes.length) {
            // Torn or unsynced tail: no advance() that wrote it is unaccounted for. Drop it.
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }
}
