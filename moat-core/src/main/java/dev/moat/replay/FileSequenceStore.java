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
 * ({@code sequences.journal}, one {@code "<agent id> <seq>\n"} line per accepted message, fsynced
 * before {@link #advance} returns) compacted now and then into a snapshot
 * ({@code sequences.json}, replaced atomically). On open, a torn last journal line (a crash during
 * the write, so that call was never allowed) is dropped; any other damage is a startup error.
 * Replays are refused without touching the disk.
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
    private static final java.util.Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
    private static final int COMPACT_AFTER = 50_000;
    private static final int MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

    private final Path dir;
    private final ConcurrentHashMap<AgentId, Long> last = new ConcurrentHashMap<>();
    private FileChannel journal;
    private FileChannel lockChannel;
    private java.nio.channels.FileLock lock;
    private Path lockKey;
    private int journalLines;
    private boolean closed;

    private FileSequenceStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static FileSequenceStore open(Path dir) {
        FileSequenceStore s = new FileSequenceStore(dir);
        try {
            Files.createDirectories(dir);
            s.acquireLock();
            s.loadSnapshot();
            s.replayJournal();
            s.journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            s.releaseLock();
            throw new SequenceStoreException("cannot open sequence store in " + dir + ": " + e.getClass().getSimpleName(), e);
        } catch (RuntimeException e) {
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
        if (prev != null && seq <= prev) {
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
            byte[] line = (sender.value() + " " + seq + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    journal.write(buf);
                }
                journal.force(false);
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
            journal.close();
        } catch (IOException e) {
            throw new SequenceStoreException("cannot close sequence journal", e);
        } finally {
            releaseLock();
        }
    }

    private void compact() {
        try {
            writeSnapshot();
            journal.truncate(0);
            journal.force(true);
            journalLines = 0;
        } catch (IOException e) {
            throw new SequenceStoreException("cannot compact sequence journal: " + e.getClass().getSimpleName(), e);
        }
    }

    private void writeSnapshot() throws IOException {
        Map<String, Object> values = new TreeMap<>();
        last.forEach((k, v) -> values.put(k.value(), v));
        Map<String, Object> doc = new TreeMap<>();
        doc.put("v", 1L);
        doc.put("last", values);
        AtomicFiles.write(dir.resolve(SNAPSHOT), CanonicalJson.encode(doc));
    }

    private void loadSnapshot() throws IOException {
        Path f = dir.resolve(SNAPSHOT);
        if (!Files.exists(f)) {
            return;
        }
        if (Files.size(f) > MAX_SNAPSHOT_BYTES) {
            throw new SequenceStoreException("sequence snapshot " + f + " is too large");
        }
        try {
            ObjectNode doc = StrictJson.parseObject(Files.readAllBytes(f), MAX_SNAPSHOT_BYTES, "sequence snapshot");
            if (doc.size() != 2 || !doc.path("v").isIntegralNumber() || doc.get("v").asLong() != 1 || !doc.path("last").isObject()) {
                throw new SequenceStoreException("sequence snapshot " + f + " is corrupt");
            }
            Iterator<Map.Entry<String, JsonNode>> it = doc.get("last").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!AgentId.isWellFormed(e.getKey()) || !e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
                    throw new SequenceStoreException("sequence snapshot " + f + " is corrupt");
                }
                last.merge(new AgentId(e.getKey()), e.getValue().asLong(), Math::max);
            }
        } catch (Rejection r) {
            throw new SequenceStoreException("sequence snapshot " + f + " is corrupt: " + r.failure().detail());
        }
    }

    private void replayJournal() throws IOException {
        Path f = dir.resolve(JOURNAL);
        if (!Files.exists(f)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(f);
        int start = 0;
        int lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, start, i - start, StandardCharsets.US_ASCII);
            int sp = line.indexOf(' ');
            try {
                if (sp < 0) {
                    throw new NumberFormatException();
                }
                String id = line.substring(0, sp);
                long seq = Long.parseLong(line.substring(sp + 1));
                if (!AgentId.isWellFormed(id) || seq < 0) {
                    throw new NumberFormatException();
                }
                last.merge(new AgentId(id), seq, Math::max);
            } catch (NumberFormatException e) {
                throw new SequenceStoreException("sequence journal " + f + " is corrupt at line " + lineNo);
            }
            start = i + 1;
        }
        journalLines = lineNo;
        if (start < bytes.length) {
            // Torn tail: the write never completed, so that advance() never returned true. Drop it.
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(start);
                ch.force(true);
            }
        }
    }
}
