package dev.moat.home;

import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * One home file as a running {@code Moat} sees it, the mechanism behind {@link LiveRevocations}
 * and {@link LiveTrustStore}: re-read when its identity, modification time or size changed and its
 * SHA-256 differs, parsed strictly (bounded), then swapped in whole; a missing file is the empty
 * value. A file that cannot be read or parsed puts the watch in the failed state (its owner fails
 * closed) until it parses again. The {@link Listener} hears every change (against the last value
 * that was in force, so a recovery reports only what differs from before the failure), failure
 * and recovery, called under this object's lock after the new state is in force. Thread-safe.
 *
 * @param <T> the parsed content
 */
final class WatchedFile<T> implements AutoCloseable {
    /** What the owner does with changes (log and audit them). */
    interface Listener<T> {
        void changed(T before, T after);

        /** The file became unreadable or invalid; called once per failure period. */
        void failed(String why);

        /** The file parses again after a failure (then {@link #changed} follows). */
        void recovered();
    }

    private record State<T>(T value, String failure) {}

    private record Stamp(Object fileKey, long modified, long size) {
        // written out: the generated equals is bootstrapped through invokedynamic, on the start-up path
        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp s && java.util.Objects.equals(fileKey, s.fileKey) && modified == s.modified && size == s.size;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(fileKey) * 31 * 31 + Long.hashCode(modified) * 31 + Long.hashCode(size);
        }
    }

    private final Path file;
    private final int maxBytes;
    private final BiFunction<byte[], String, T> parse;
    private final T empty;
    private final Listener<T> listener;
    private final AtomicLong generation = new AtomicLong();
    private volatile State<T> state;
    private Stamp stamp;
    private T lastGood;
    private byte[] digest;
    private ScheduledExecutorService poller;

    WatchedFile(Path file, int maxBytes, BiFunction<byte[], String, T> parse, T empty, Listener<T> listener) {
        this.file = Objects.requireNonNull(file, "file");
        this.maxBytes = maxBytes;
        this.parse = Objects.requireNonNull(parse, "parse");
        this.empty = Objects.requireNonNull(empty, "empty");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.state = new State<>(empty, null);
        this.lastGood = empty;
    }

    Path file() {
        return file;
    }

    /** The value in force (the empty value while failed; see {@link #failure()}). */
    T current() {
        return state.value();
    }

    /** Why the file is not in force, or {@code null}. */
    String failure() {
        return state.failure();
    }

    /** Changes on every swap and failure (caches compare it). */
    long generation() {
        return generation.get();
    }

    /** Polls every {@code interval} on a daemon thread named {@code thread}. */
    void startPolling(Duration interval, String thread) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        poller.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Re-reads the file now if it changed. Never throws: failures put the watch in the failed state. */
    synchronized void refresh() {
        Stamp now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            now = new Stamp(null, -1, -1);
        } catch (IOException | RuntimeException e) {
            fail("cannot stat " + file + ": " + e.getClass().getSimpleName(), null);
            return;
        }
        if (now.equals(stamp) && state.failure() == null) {
            return;
        }
        T next;
        try {
            byte[] bytes = now.size() < 0 ? new byte[0] : readBounded();
            byte[] d = Sha256.hash(bytes);
            if (digest != null && ConstantTime.equal(d, digest) && state.failure() == null) {
                stamp = now;
                return;
            }
            next = now.size() < 0 ? empty : parse.apply(bytes, file.toString());
            digest = d;
        } catch (IOException | RuntimeException e) {
            fail(e instanceof HomeException ? e.getMessage() : "cannot read " + file + ": " + e.getClass().getSimpleName(), now);
            return;
        }
        stamp = now;
        State<T> before = state;
        state = new State<>(next, null);
        generation.incrementAndGet();
        if (before.failure() != null) {
            listener.recovered();
        }
        T previous = lastGood;
        lastGood = next;
        listener.changed(previous, next);
    }

    private byte[] readBounded() throws IOException {
        try {
            if (Files.size(file) > maxBytes) {
                throw new HomeException(file + " exceeds " + maxBytes + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private void fail(String why, Stamp at) {
        boolean already = state.failure() != null;
        stamp = at;
        digest = null;
        state = new State<>(empty, why);
        generation.incrementAndGet();
        if (!already) {
            listener.failed(why);
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (Throwable t) { // never let the poller die: fail closed instead
            synchronized (this) {
                fail("refresh of " + file + " failed: " + t.getClass().getSimpleName(), null);
            }
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
