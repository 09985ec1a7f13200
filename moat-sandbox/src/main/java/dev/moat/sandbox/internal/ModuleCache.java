package dev.moat.sandbox.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Loaded modules by (SHA-256, metering) with least-recently-used eviction.
 *
 * <p>Assumptions and guarantees: any number of threads may call {@link #get}. For one key the
 * loader runs at most once while the entry stays cached (concurrent callers wait for the first
 * one's result); different keys load in parallel, outside the lock. Refusals are cached like
 * successes: the same bytes always give the same typed refusal. An unexpected exception is not
 * cached, so the next call retries.
 */
public final class ModuleCache {
    private final int capacity;
    private final Map<String, CompletableFuture<LoadedModule>> entries;
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    public ModuleCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<LoadedModule>> eldest) {
                return size() > ModuleCache.this.capacity;
            }
        };
    }

    /** The cached module for {@code key}, loading it with {@code loader} on a miss. */
    public LoadedModule get(String key, Supplier<LoadedModule> loader) {
        CompletableFuture<LoadedModule> future;
        boolean mine = false;
        synchronized (entries) {
            future = entries.get(key);
            if (future == null) {
                future = new CompletableFuture<>();
                entries.put(key, future);
                mine = true;
            }
        }
        if (mine) {
            loads.incrementAndGet();
            try {
                future.complete(loader.get());
            } catch (RunStopped e) {
                future.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
                synchronized (entries) {
                    entries.remove(key, future);
                }
            }
        } else {
            hits.incrementAndGet();
        }
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a module to load", e);
        }
    }

    /** Number of loads (cache misses) so far. */
    public long loads() {
        return loads.get();
    }

    /** Number of calls served by an existing entry. */
    public long hits() {
        return hits.get();
    }
}
