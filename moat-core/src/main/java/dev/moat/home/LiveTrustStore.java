package dev.moat.home;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditEvent.Trust.Change;
import dev.moat.identity.AgentId;
import dev.moat.internal.DisplayText;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home's trusted roots as a running {@code Moat} sees them: {@code trusted_roots.json} re-read
 * every {@link #POLL} (250 ms) when it changed, parsed strictly and swapped in whole (see
 * {@link WatchedFile}), so a root added or removed with {@code moat identity trust [--remove]}
 * takes effect within a second: chains rooted at a removed root are refused from then on. Every
 * change is audited ({@code trust} entries: one per root trusted or no longer trusted). A file
 * that cannot be read or parsed fails closed: {@link #failure()} is set, the registry trusts no
 * root at all (every call is denied), the failure is logged and audited ({@code unreadable}), and
 * the store recovers when the file parses again. A missing file trusts nothing. Thread-safe.
 */
public final class LiveTrustStore implements AutoCloseable {
    /** How often the file is checked. */
    public static final Duration POLL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(LiveTrustStore.class);

    private final HomeTrustStore store;
    private final Consumer<AuditEvent> audit;
    private final WatchedFile<SortedMap<AgentId, String>> watch;
    private volatile boolean started;

    private LiveTrustStore(HomeTrustStore store, Consumer<AuditEvent> audit) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        String source = store.file().toString();
        this.watch = new WatchedFile<>(store.file(), HomeTrustStore.MAX_BYTES, HomeTrustStore::parse,
                Collections.emptySortedMap(), new WatchedFile.Listener<>() {
                    @Override
                    public void changed(SortedMap<AgentId, String> before, SortedMap<AgentId, String> after) {
                        if (started) {
                            apply(before, after);
                        }
                    }

                    @Override
                    public void failed(String why) {
                        LOG.error("trust store unreadable, denying every call until it is fixed: {}", why);
                        record(new AuditEvent.Trust(Change.UNREADABLE, null, null, source, why));
                    }

                    @Override
                    public void recovered() {
                        record(new AuditEvent.Trust(Change.RECOVERED, null, null, source, "the trust store parses again"));
                        LOG.warn("trust store {} parses again: its roots are trusted from now on", source);
                    }
                });
    }

    /**
     * Loads the trust store and starts polling it every {@code interval} on a daemon thread;
     * {@code audit} receives the trust events.
     *
     * @throws HomeException when the file cannot be read or parsed at start (a runtime refuses to
     *                       start on a broken trust store rather than run with every call denied)
     */
    public static LiveTrustStore start(HomeTrustStore store, Consumer<AuditEvent> audit, Duration interval) {
        LiveTrustStore live = new LiveTrustStore(store, audit);
        live.watch.refresh();
        if (live.failure() != null) {
            throw new HomeException(live.failure());
        }
        live.started = true;
        live.record(new AuditEvent.Trust(Change.LOADED, null, null, store.file().toString(),
                live.roots().size() + " roots trusted"));
        live.watch.startPolling(interval, "moat-trust-store");
        return live;
    }

    /** The file watched. */
    public HomeTrustStore store() {
        return store;
    }

    /** The roots in force with the names they were trusted under (empty while failed). */
    public SortedMap<AgentId, String> roots() {
        return watch.current();
    }

    /** The ids in force (empty while failed). */
    public Set<AgentId> ids() {
        return watch.current().keySet();
    }

    /** True when {@code id} is listed and the file is in force. */
    public boolean isTrusted(AgentId id) {
        return watch.failure() == null && watch.current().containsKey(id);
    }

    /** Why the store is failed closed, or {@code null} when it is in force. */
    public String failure() {
        return watch.failure();
    }

    /** Changes whenever the roots in force change (verified-chain caches compare it). */
    public long generation() {
        return watch.generation();
    }

    /** Re-reads the file now if it changed. Never throws: failures fail closed. */
    public void refresh() {
        watch.refresh();
    }

    private void apply(SortedMap<AgentId, String> before, SortedMap<AgentId, String> after) {
        String source = store.file().toString();
        after.forEach((id, name) -> {
            if (!before.containsKey(id)) {
                record(new AuditEvent.Trust(Change.TRUSTED, id.value(), name, source, null));
                LOG.info("root {} ({}) trusted (from {})", id, DisplayText.escape(name), source);
            }
        });
        before.forEach((id, name) -> {
            if (!after.containsKey(id)) {
                record(new AuditEvent.Trust(Change.DISTRUSTED, id.value(), name, source, null));
                LOG.info("root {} ({}) no longer trusted (from {})", id, DisplayText.escape(name), source);
            }
        });
    }

    private void record(AuditEvent e) {
        try {
            audit.accept(e);
        } catch (RuntimeException ex) {
            LOG.error("could not audit a trust store change: {}", ex.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
