package dev.moat.home;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditEvent.Revocation.Change;
import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The home's revocation list as a running {@code Moat} sees it: re-read every {@link #POLL} (250 ms)
 * when the file's identity, modification time or size changed and its SHA-256 differs, parsed
 * strictly, then swapped in whole. A revocation written by the CLI or by {@link #revokeAgent} is
 * therefore enforced within a second. Every change is audited ({@code revocation} entries: one per
 * agent or token revoked or restored). A file that cannot be read or parsed fails closed: every
 * agent and token counts as revoked (so every call is denied), the failure is logged and audited
 * ({@code unreadable}), and the list recovers when the file parses again. A missing file is an
 * empty list. Thread-safe; checks are two volatile reads.
 */
public final class LiveRevocations implements RevocationCheck, AutoCloseable {
    /** How often the file is checked. */
    public static final Duration POLL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(LiveRevocations.class);

    private final RevocationFile file;
    private final Consumer<AuditEvent> audit;
    private final WatchedFile<Revocations> watch;

    private LiveRevocations(RevocationFile file, Consumer<AuditEvent> audit) {
        this.file = Objects.requireNonNull(file, "file");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.watch = new WatchedFile<>(file.file(), RevocationFile.MAX_BYTES, RevocationFile::parse, Revocations.EMPTY,
                new WatchedFile.Listener<>() {
                    @Override
                    public void changed(Revocations before, Revocations after) {
                        apply(before, after);
                    }

                    @Override
                    public void failed(String why) {
                        LOG.error("revocation list unreadable, denying every call until it is fixed: {}", why);
                        record(new AuditEvent.Revocation(Change.UNREADABLE, null, null, file.file().toString(), why));
                    }

                    @Override
                    public void recovered() {
                        record(new AuditEvent.Revocation(Change.RECOVERED, null, null, file.file().toString(),
                                "the revocation list parses again"));
                        LOG.warn("revocation list {} parses again: calls are decided on it from now on", file.file());
                    }
                });
    }

    /**
     * Loads {@code file} (auditing what it holds, or that it is unreadable) and starts polling it
     * on a daemon thread every {@code interval}. {@code audit} receives the revocation events.
     */
    public static LiveRevocations start(RevocationFile file, Consumer<AuditEvent> audit, Duration interval) {
        LiveRevocations live = new LiveRevocations(file, audit);
        live.refresh();
        if (live.failure() == null) {
            Revocations list = live.current();
            live.record(new AuditEvent.Revocation(Change.LOADED, null, null, file.file().toString(),
                    list.agents().size() + " agents and " + list.tokens().size() + " tokens revoked"));
        }
        live.watch.startPolling(interval, "moat-revocations");
        return live;
    }

    /** The file watched. */
    public RevocationFile file() {
        return file;
    }

    /** The list in force ({@link Revocations#EMPTY} while failed closed; see {@link #failure()}). */
    public Revocations current() {
        return watch.current();
    }

    /** Why the list is failed closed, or {@code null} when it is in force. */
    public String failure() {
        return watch.failure();
    }

    /** Revokes {@code agent} in the file (atomic, fsynced) and applies it before returning. */
    public boolean revokeAgent(AgentId agent) {
        boolean added = file.revokeAgent(agent);
        refresh();
        return added;
    }

    /** Revokes a token id in the file (atomic, fsynced) and applies it before returning. */
    public boolean revokeToken(String tokenId) {
        boolean added = file.revokeToken(tokenId);
        refresh();
        return added;
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return watch.failure() != null || watch.current().isAgentRevoked(agent);
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return watch.failure() != null || watch.current().isTokenRevoked(tokenId);
    }

    @Override
    public long generation() {
        return watch.generation();
    }

    /** Re-reads the file now if it changed. Never throws: failures fail closed. */
    public void refresh() {
        watch.refresh();
    }

    private void apply(Revocations old, Revocations next) {
        String source = file.file().toString();
        for (String a : diff(next.agents(), old.agents())) {
            record(new AuditEvent.Revocation(Change.REVOKED, a, null, source, null));
            LOG.info("agent {} revoked (from {})", a, source);
        }
        for (String t : diff(next.tokens(), old.tokens())) {
            record(new AuditEvent.Revocation(Change.REVOKED, null, t, source, null));
            LOG.info("token {} revoked (from {})", t, source);
        }
        for (String a : diff(old.agents(), next.agents())) {
            record(new AuditEvent.Revocation(Change.RESTORED, a, null, source, null));
        }
        for (String t : diff(old.tokens(), next.tokens())) {
            record(new AuditEvent.Revocation(Change.RESTORED, null, t, source, null));
        }
    }

    private void record(AuditEvent e) {
        try {
            audit.accept(e);
        } catch (RuntimeException ex) {
            LOG.error("could not audit a revocation change: {}", ex.getClass().getSimpleName());
        }
    }

    private static List<String> diff(java.util.Set<String> a, java.util.Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    @Override
    public void close() {
        watch.close();
    }
}
