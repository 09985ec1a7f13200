package dev.moat.store.postgres;

import dev.moat.audit.AuditBreak;
import dev.moat.audit.AuditCheckpoint;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditException;
import dev.moat.audit.AuditStore;
import dev.moat.crypto.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * One replica's audit chain in the fleet's tables: entries in {@code moat_audit_entries}, signed
 * checkpoints in {@code moat_audit_checkpoints}, both keyed by the replica id; the replica's log
 * key in {@code moat_audit_replicas}. A replica id is open in one process at a time (a session
 * advisory lock held for the store's life). Opening refuses a chain whose last entry is malformed,
 * or which ends below (or differs from) its last signed checkpoint: it is never extended.
 *
 * <p>Group commit: {@link #append} and {@link #appendCheckpoint} only queue; the first thread that
 * needs durability ({@link #sync}, {@link #flush}) writes everything queued in one statement (one
 * round trip, one transaction: the checkpoints after the entries they cover) while later callers
 * wait and are served by the next batch. When {@link #sync} returns, the entry is committed.
 *
 * <p>Database down: the batch stays queued (in chain order) and {@code sync} throws
 * {@link AuditException.Kind#UNAVAILABLE}, so the call is denied but the log stays usable and the
 * queue is written when the database is back. More than {@code maxQueued} unwritten items fail the
 * store for good ({@link AuditException.Kind#STORE_FAILED}). A retried batch whose rows already
 * exist with the same lines (a commit whose answer was lost) is accepted; different lines under the
 * same index are a conflicting writer and fail the store.
 */
public final class PostgresAuditStore implements AuditStore {
    static final int MAX_BATCH = 512;
    private static final String REGISTER = "INSERT INTO moat_audit_replicas (replica, log_key) VALUES (?, ?) ON CONFLICT (replica) DO NOTHING";
    private static final String KEY = "SELECT log_key FROM moat_audit_replicas WHERE replica = ?";
    private static final String LAST = "SELECT idx, line FROM moat_audit_entries WHERE replica = ? ORDER BY idx DESC LIMIT 1";
    private static final String LAST_CHECKPOINT = "SELECT pos, line FROM moat_audit_checkpoints WHERE replica = ? ORDER BY pos DESC LIMIT 1";
    private static final String WRITE = "WITH e AS (SELECT * FROM unnest(?::bigint[], ?::text[]) AS u(i, l)), "
            + "c AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS u(p, n, l)), "
            + "ie AS (INSERT INTO moat_audit_entries (replica, idx, line) SELECT ?, i, l FROM e ORDER BY i "
            + "ON CONFLICT (replica, idx) DO NOTHING RETURNING idx), "
            + "ic AS (INSERT INTO moat_audit_checkpoints (replica, pos, count, line) SELECT ?, p, n, l FROM c ORDER BY p "
            + "ON CONFLICT (replica, pos) DO NOTHING RETURNING pos) "
            + "SELECT (SELECT count(*) FROM e WHERE NOT EXISTS (SELECT 1 FROM ie WHERE ie.idx = e.i) AND NOT EXISTS "
            + "(SELECT 1 FROM moat_audit_entries m WHERE m.replica = ? AND m.idx = e.i AND m.line = e.l)) "
            + "+ (SELECT count(*) FROM c WHERE NOT EXISTS (SELECT 1 FROM ic WHERE ic.pos = c.p) AND NOT EXISTS "
            + "(SELECT 1 FROM moat_audit_checkpoints m WHERE m.replica = ? AND m.pos = c.p AND m.line = c.l))";

    private final PostgresDatabase database;
    private final DataSource db;
    private final String replica;
    private final int maxQueued;
    private final long waitNanos;
    private final int queryTimeoutSeconds;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();

    private Connection replicaLock;
    private long queuedTickets;
    private long writtenTickets;
    private long durableIndex = -1;
    private long nextPos;
    private boolean writing;
    private long failures;
    private AuditException lastFailure;
    private AuditException fatal;
    private boolean open;
    private boolean closed;

    /** An entry (pos < 0) or a checkpoint waiting to be written, with its queue ticket. */
    private record Item(long ticket, long index, long pos, long count, String line) {}

    public PostgresAuditStore(PostgresDatabase database, int maxQueued) {
        this.database = Objects.requireNonNull(database, "database");
        this.db = database.dataSource();
        this.replica = database.config().replica();
        if (maxQueued < MAX_BATCH) {
            throw new IllegalArgumentException("maxQueued must be at least " + MAX_BATCH);
        }
        this.maxQueued = maxQueued;
        this.queryTimeoutSeconds = (int) Math.max(1, (database.config().queryTimeout().toMillis() + 999) / 1000);
        this.waitNanos = database.config().connectTimeout().plus(database.config().queryTimeout()).multipliedBy(2).toNanos();
    }

    /** The replica whose chain this store writes. */
    public String replica() {
        return replica;
    }

    @Override
    public Head open(Ed25519PublicKey logKey) {
        lock.lock();
        try {
            if (open || closed) {
                throw new AuditException(AuditException.Kind.CLOSED, "a PostgresAuditStore opens once; build a new one");
            }
            try {
                replicaLock = database.connectDirectly();
                try (PreparedStatement ps = replicaLock.prepareStatement("SELECT pg_try_advisory_lock(hashtextextended(?, 0))")) {
                    ps.setString(1, "moat-audit:" + replica);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (!rs.getBoolean(1)) {
                            throw new AuditException(AuditException.Kind.STORE_FAILED,
                                    "audit replica '" + replica + "' is open in another process; give each replica its own id");
                        }
                    }
                }
                Head h = readHead(logKey);
                open = true;
                return h;
            } catch (SQLException e) {
                throw new AuditException(AuditException.Kind.STORE_FAILED,
                        "cannot open the audit chain of replica '" + replica + "' on PostgreSQL: " + SqlErrors.describe(e), e);
            }
        } catch (RuntimeException e) {
            releaseReplicaLock();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private Head readHead(Ed25519PublicKey logKey) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(REGISTER)) {
                ps.setString(1, replica);
                ps.setString(2, logKey.toBase64Url());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(KEY)) {
                ps.setString(1, replica);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!logKey.toBase64Url().equals(rs.getString(1))) {
                        throw new AuditException(AuditException.Kind.KEY_MISMATCH,
                                "audit chain of replica '" + replica + "' belongs to another log key");
                    }
                }
            }
            AuditCheckpoint lastCheckpoint = null;
            try (PreparedStatement ps = c.prepareStatement(LAST_CHECKPOINT)) {
                ps.setString(1, replica);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        nextPos = rs.getLong(1) + 1;
                        try {
                            lastCheckpoint = AuditCheckpoint.fromJsonLine(rs.getString(2));
                        } catch (RuntimeException e) {
                            throw corrupt(AuditBreak.Kind.MALFORMED_LINE, 0, "the last checkpoint is not well-formed");
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(LAST)) {
                ps.setString(1, replica);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        if (lastCheckpoint != null && lastCheckpoint.count() > 0) {
                            throw corrupt(AuditBreak.Kind.TRUNCATED, 0, "a checkpoint covers " + lastCheckpoint.count() + " entries, the chain has none");
                        }
                        return new Head(0, AuditEntry.genesisHash(), null, null);
                    }
                    long idx = rs.getLong(1);
                    AuditEntry last;
                    try {
                        last = AuditEntry.fromJsonLine(rs.getString(2));
                    } catch (RuntimeException e) {
                        throw corrupt(AuditBreak.Kind.HASH_MISMATCH, idx, "the last entry is not a well-formed entry with a valid hash");
                    }
                    if (last.index() != idx) {
                        throw corrupt(AuditBreak.Kind.INDEX_GAP, idx, "the last row's idx " + idx + " differs from its entry's index " + last.index());
                    }
                    // Never extend a chain cut below its last signed checkpoint, or one whose head was replaced.
                    if (lastCheckpoint != null && lastCheckpoint.count() > idx + 1) {
                        throw corrupt(AuditBreak.Kind.TRUNCATED, idx + 1,
                                "a checkpoint covers " + lastCheckpoint.count() + " entries, the chain has " + (idx + 1));
                    }
                    if (lastCheckpoint != null && lastCheckpoint.count() == idx + 1
                            && !java.util.Arrays.equals(lastCheckpoint.head(), last.hash())) {
                        throw corrupt(AuditBreak.Kind.CHECKPOINT_MISMATCH, idx, "the last checkpoint's head differs from the last entry");
                    }
                    durableIndex = idx;
                    return new Head(idx + 1, last.hash(), last.time(), null);
                }
            }
        }
    }

    private AuditException corrupt(AuditBreak.Kind kind, long idx, String detail) {
        return new AuditException(AuditException.Kind.CORRUPT, "audit chain of replica '" + replica + "' is damaged: " + detail,
                new AuditBreak(kind, AuditBreak.Source.LOG, idx, 0, detail), null);
    }

    @Override
    public void append(AuditEntry entry) {
        String line = entry.toJsonLine();
        if (line.getBytes(StandardCharsets.UTF_8).length >= AuditEntry.MAX_LINE_BYTES) {
            throw new AuditException(AuditException.Kind.OVERSIZED_ENTRY, "audit entry exceeds " + AuditEntry.MAX_LINE_BYTES + " bytes");
        }
        enqueue(entry.index(), -1, 0, line);
    }

    @Override
    public void appendCheckpoint(AuditCheckpoint checkpoint) {
        lock.lock();
        try {
            enqueue(-1, nextPos++, checkpoint.count(), checkpoint.toJsonLine());
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(long index, long pos, long count, String line) {
        lock.lock();
        try {
            requireUsable();
            if (queue.size() >= maxQueued) {
                fatal = new AuditException(AuditException.Kind.STORE_FAILED,
                        "audit queue full: " + maxQueued + " entries could not be written to PostgreSQL");
                throw fatal;
            }
            queue.addLast(new Item(++queuedTickets, index, pos, count, line));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void sync(long index) {
        lock.lock();
        try {
            awaitLocked(() -> durableIndex >= index);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            long target = queuedTickets;
            awaitLocked(() -> writtenTickets >= target);
        } finally {
            lock.unlock();
        }
    }

    private interface Done {
        boolean done();
    }

    /** Waits until {@code done}, writing batches itself when no other thread is. Holds the lock on entry and exit. */
    private void awaitLocked(Done done) {
        long deadline = System.nanoTime() + waitNanos;
        while (!done.done()) {
            if (fatal != null) {
                throw new AuditException(AuditException.Kind.FAILED_EARLIER, "audit store failed earlier", fatal);
            }
            if (!writing) {
                if (queue.isEmpty()) {
                    throw new AuditException(AuditException.Kind.STORE_FAILED, "audit entry was never queued");
                }
                writeOneBatchLocked();
                continue;
            }
            long seen = failures;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AuditException(AuditException.Kind.UNAVAILABLE, "timed out waiting for the audit batch to reach PostgreSQL");
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuditException(AuditException.Kind.INTERRUPTED, "interrupted while waiting for the audit batch");
            }
            if (failures != seen && !done.done()) {
                throw new AuditException(AuditException.Kind.UNAVAILABLE, lastFailure.getMessage(), lastFailure);
            }
        }
    }

    private void writeOneBatchLocked() {
        List<Item> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
            batch.add(queue.pollFirst());
        }
        writing = true;
        AuditException failure = null;
        lock.unlock();
        try {
            write(batch);
        } catch (SQLException e) {
            failure = new AuditException(AuditException.Kind.UNAVAILABLE, "audit store on PostgreSQL unavailable: " + SqlErrors.describe(e), e);
        } catch (AuditException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new AuditException(AuditException.Kind.STORE_FAILED, "audit store failed: " + e.getClass().getSimpleName(), e);
        } finally {
            lock.lock();
            writing = false;
        }
        if (failure == null) {
            for (Item it : batch) {
                if (it.pos() < 0) {
                    durableIndex = Math.max(durableIndex, it.index());
                }
                writtenTickets = Math.max(writtenTickets, it.ticket());
            }
        } else {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i)); // keep chain order for the retry
            }
            if (failure.kind() != AuditException.Kind.UNAVAILABLE) {
                fatal = failure;
            }
            lastFailure = failure;
            failures++;
        }
        changed.signalAll();
        if (failure != null) {
            throw failure;
        }
    }

    private void write(List<Item> batch) throws SQLException {
        List<Long> idx = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<Long> pos = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<String> cpLines = new ArrayList<>();
        for (Item it : batch) {
            if (it.pos() < 0) {
                idx.add(it.index());
                lines.add(it.line());
            } else {
                pos.add(it.pos());
                counts.add(it.count());
                cpLines.add(it.line());
            }
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setArray(1, c.createArrayOf("bigint", idx.toArray(new Long[0])));
            ps.setArray(2, c.createArrayOf("text", lines.toArray(new String[0])));
            ps.setArray(3, c.createArrayOf("bigint", pos.toArray(new Long[0])));
            ps.setArray(4, c.createArrayOf("bigint", counts.toArray(new Long[0])));
            ps.setArray(5, c.createArrayOf("text", cpLines.toArray(new String[0])));
            ps.setString(6, replica);
            ps.setString(7, replica);
            ps.setString(8, replica);
            ps.setString(9, replica);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long conflicting = rs.getLong(1);
                if (conflicting != 0) {
                    throw new AuditException(AuditException.Kind.STORE_FAILED, conflicting
                            + " audit rows of replica '" + replica + "' were written differently by another writer");
                }
            }
        }
    }

    private void requireUsable() {
        if (!open || closed) {
            throw new AuditException(AuditException.Kind.CLOSED, "audit store is not open");
        }
        if (fatal != null) {
            throw new AuditException(AuditException.Kind.FAILED_EARLIER, "audit store failed earlier", fatal);
        }
    }

    /** Writes what is queued (if the database answers) and releases the replica. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (open && fatal == null && !queue.isEmpty()) {
                    long target = queuedTickets;
                    awaitLocked(() -> writtenTickets >= target);
                }
            } finally {
                closed = true;
                releaseReplicaLock();
            }
        } finally {
            lock.unlock();
        }
    }

    private void releaseReplicaLock() {
        if (replicaLock != null) {
            try {
                replicaLock.close(); // ends the session, which releases the advisory lock
            } catch (SQLException ignored) {
                // the server drops the lock with the session anyway
            } finally {
                replicaLock = null;
            }
        }
    }
}
