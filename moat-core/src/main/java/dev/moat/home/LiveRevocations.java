package dev.moat.home;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditEvent.Revocation.Change;
import dev.moat.crypto.ConstantTime;
import dev.moat.crypto.Sha256;
import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    private record State(Revocations list, String failure) {}

    private record Stamp(Object fileKey, long modified, long size) {}

    private final RevocationFile file;
    private final Consumer<AuditEvent> audit;
    private final AtomicLong generation = new AtomicLong();
    private volatile State state = new State(Revocations.EMPTY, null);
    private Stamp stamp;
    private byte[] digest;
    private ScheduledExecutorService poller;

    private LiveRevocations(RevocationFile file, Consumer<AuditEvent> audit) {
        this.file = Objects.requireNonNull(file, "file");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Loads {@code file} (auditing what it holds, or that it is unreadable) and starts polling it
     * on a daemon thread every {@code interval}. {@code audit} receives the revocation events.
     */
    public static LiveRevocations start(RevocationFile file, Consumer<AuditEvent> audit, Duration interval) {
        LiveRevocations live = new LiveRevocations(file, audit);
        live.refresh();
        State s = live.state;
        if (s.failure() == null) {
            live.record(new AuditEvent.Revocation(Change.LOADED, null, null, file.file().toString(),
                    s.list().agents().size() + " agents and " + s.list().tokens().size() + " tokens revoked"));
        }
        live.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "moat-revocations");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        live.poller.scheduleWithFixedDelay(live::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        return live;
    }

    /** The file watched. */
    public RevocationFile file() {
        return file;
    }

    /** The list in force ({@link Revocations#EMPTY} while failed closed; see {@link #failure()}). */
    public Revocations current() {
        return state.list();
    }

    /** Why the list is failed closed, or {@code null} when it is in force. */
    public String failure() {
        return state.failure();
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
        State s = state;
        return s.failure() != null || s.list().isAgentRevoked(agent);
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        State s = state;
        return s.failure() != null || s.list().isTokenRevoked(tokenId);
    }

    @Override
    public long generation() {
        return generation.get();
    }

    /** Re-reads the file now if it changed. Never throws: failures fail closed. */
    public synchronized void refresh() {
        Stamp now;
        try {
            BasicFileAttributes a = Files.readAttributes(file.file(), BasicFileAttributes.class);
            now = new Stamp(a.fileKey(), a.lastModifiedTime().toMillis(), a.size());
        } catch (NoSuchFileException e) {
            now = new Stamp(null, -1, -1);
        } catch (IOException | RuntimeException e) {
            fail("cannot stat " + file.file() + ": " + e.getClass().getSimpleName(), null);
            return;
        }
        if (now.equals(stamp) && state.failure() == null) {
            return;
        }
        byte[] bytes;
        Revocations next;
        try {
            bytes = now.size() < 0 ? new byte[0] : readBounded();
            byte[] d = Sha256.hash(bytes);
            if (digest != null && ConstantTime.equal(d, digest) && state.failure() == null) {
                stamp = now;
                return;
            }
            next = now.size() < 0 ? Revocations.EMPTY : RevocationFile.parse(bytes, file.file().toString());
            digest = d;
        } catch (IOException | RuntimeException e) {
            fail(e instanceof HomeException ? e.getMessage() : "cannot read " + file.file() + ": " + e.getClass().getSimpleName(), now);
            return;
        }
        stamp = now;
        apply(next);
    }

    private byte[] readBounded() throws IOException {
        try {
            if (Files.size(file.file()) > RevocationFile.MAX_BYTES) {
                throw new HomeException(file.file() + " exceeds " + RevocationFile.MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(file.file());
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private void apply(Revocations next) {
        State before = state;
        state = new State(next, null);
        generation.incrementAndGet();
        String source = file.file().toString();
        if (before.failure() != null) {
            record(new AuditEvent.Revocation(Change.RECOVERED, null, null, source, "the revocation list parses again"));
            LOG.warn("revocation list {} parses again: calls are decided on it from now on", source);
        }
        Revocations old = before.list();
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

    private void fail(String why, Stamp at) {
        boolean already = state.failure() != null;
        stamp = at;
        digest = null;
        state = new State(Revocations.EMPTY, why);
        generation.incrementAndGet();
        if (!already) {
            LOG.error("revocation list unreadable, denying every call until it is fixed: {}", why);
            record(new AuditEvent.Revocation(Change.UNREADABLE, null, null, file.file().toString(), why));
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (Throwable t) { // never let the poller die: fail closed instead
            fail("revocation refresh failed: " + t.getClass().getSimpleName(), null);
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
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
