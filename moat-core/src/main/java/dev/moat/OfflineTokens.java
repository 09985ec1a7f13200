package dev.moat;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Checked;
import dev.moat.guard.Guard;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageSigner;
import dev.moat.token.Attenuation;
import dev.moat.token.CapabilityToken;
import dev.moat.token.TokenChain;
import dev.moat.token.TokenLimits;
import dev.moat.token.TokenVerifier;
import dev.moat.token.VerifiedCapability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Capabilities issued elsewhere (an offline root), read from {@code <dir>/<agent>.token}: the
 * CLI's token file, the chain's canonical JSON and a newline. A file is used only when it verifies
 * against the trusted roots (at this runtime's clock) and is issued to that agent; a renewed file
 * replaces the one in use only when it also expires later and grants nothing more
 * ({@link Attenuation#renewalViolation}). Before the one in use expires it warns, once per token.
 */
final class OfflineTokens {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineTokens.class);

    private final Path dir;
    private final Map<String, AgentKeypair> agents;
    private final TokenVerifier verifier;
    private final Clock clock;
    private final Map<String, State> states = new LinkedHashMap<>();
    private final java.util.List<String> pending = new java.util.ArrayList<>();
    private volatile Instant nextWarning = Instant.MIN;
    private Guard guard;
    private AuditLog audit;

    /** What is known of one agent's file. */
    private static final class State {
        TokenChain current;
        Object seen; // last file key (modification time and size) looked at, used or refused
        String warnedFor; // token id the expiry warning was given for
        String expiredFor;
    }

    /**
     * @param dir      the directory of token files
     * @param agents   the agents whose keys are held here that may take a capability from a file
     * @param verifier verifies files (trusted roots, revocation, clock)
     */
    OfflineTokens(Path dir, Map<String, AgentKeypair> agents, TokenVerifier verifier, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.agents = Map.copyOf(agents);
        this.verifier = verifier;
        this.clock = clock;
        for (String a : agents.keySet()) {
            states.put(a, new State());
        }
    }

    Path file(String agent) {
        return dir.resolve(agent + ".token");
    }

    /** At start-up: every agent's file that verifies. A file that does not is refused loudly. */
    synchronized Map<String, TokenChain> loadAll() {
        Map<String, TokenChain> out = new LinkedHashMap<>();
        for (Map.Entry<String, State> e : states.entrySet()) {
            String agent = e.getKey();
            Object key = fileKey(file(agent));
            if (key == null) {
                continue;
            }
            e.getValue().seen = key;
            Checked<TokenChain> read = read(file(agent));
            String problem = check(agent, null, read);
            if (problem != null) {
                LOG.warn("token file {} refused: {}", file(agent), problem);
                pending.add("token file for " + agent + " refused at start: " + problem);
                continue;
            }
            TokenChain chain = read.orThrow();
            e.getValue().current = chain;
            out.put(agent, chain);
        }
        return out;
    }

    synchronized void attach(Guard g, AuditLog log) {
        this.guard = g;
        this.audit = log;
        pending.forEach(this::notice);
        pending.clear();
    }

    /** The chains in use from files. */
    synchronized Map<String, TokenChain> current() {
        Map<String, TokenChain> out = new LinkedHashMap<>();
        states.forEach((a, s) -> {
            if (s.current != null) {
                out.put(a, s.current);
            }
        });
        return out;
    }

    /** Looks at every file again; returns whether a renewed one was taken up. */
    synchronized boolean poll(Instant now) {
        boolean changed = false;
        for (Map.Entry<String, State> e : states.entrySet()) {
            String agent = e.getKey();
            State s = e.getValue();
            Path f = file(agent);
            Object key = fileKey(f);
            if (key == null || key.equals(s.seen)) {
                continue;
            }
            s.seen = key;
            Checked<TokenChain> read = read(f);
            String problem = check(agent, s.current, read);
            if (problem != null) {
                LOG.warn("renewed token file {} refused: {}", f, problem);
                notice("renewed token file for " + agent + " refused: " + problem);
                continue;
            }
            TokenChain chain = read.orThrow();
            MessageSigner signer = guard.install(agent, new MessageSigner(agents.get(agent), chain, clock,
                    guard.pep().audience(), guard.pep().lastAccepted(agents.get(agent).id())));
            signer.renew(chain);
            s.current = chain;
            changed = true;
            nextWarning = Instant.MIN;
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.RENEW,
                    "took up token file " + f.getFileName() + ": " + Capabilities.describe(agent, chain), null));
            LOG.info("took up renewed token file {} (expires {})", f, chain.leafClaims().orThrow().expiresAt());
        }
        return changed;
    }

    /** Warns once per token when the one in use is within its margin of expiry, and when it expired. */
    void warnIfDue(Instant now) {
        if (now.isBefore(nextWarning)) {
            return; // the common case at call time: no lock
        }
        warnNow(now);
    }

    private synchronized void warnNow(Instant now) {
        Instant next = Instant.MAX;
        for (Map.Entry<String, State> e : states.entrySet()) {
            State s = e.getValue();
            if (s.current == null) {
                continue;
            }
            CapabilityToken leaf = s.current.leafClaims().orThrow();
            java.time.Duration lifetime = java.time.Duration.between(leaf.issuedAt(), leaf.expiresAt());
            Instant warnAt = leaf.expiresAt().minus(GrantPlan.margin(lifetime, null));
            if (!now.isBefore(leaf.expiresAt())) {
                if (!leaf.id().equals(s.expiredFor)) {
                    s.expiredFor = leaf.id();
                    LOG.error("the capability of {} from {} EXPIRED at {}: its calls are denied until a renewed token file is in place",
                            e.getKey(), file(e.getKey()), leaf.expiresAt());
                    notice("capability of " + e.getKey() + " from its token file expired at " + leaf.expiresAt()
                            + "; calls are denied until a renewed file is in place");
                }
            } else if (!now.isBefore(warnAt) && !leaf.id().equals(s.warnedFor)) {
                s.warnedFor = leaf.id();
                LOG.warn("the capability of {} from {} expires at {} and no renewed token file is in place: issue one with the offline root",
                        e.getKey(), file(e.getKey()), leaf.expiresAt());
                notice("capability of " + e.getKey() + " from its token file expires at " + leaf.expiresAt()
                        + " and has not been renewed");
            }
            Instant event = leaf.id().equals(s.warnedFor) ? leaf.expiresAt() : warnAt;
            if (!leaf.id().equals(s.expiredFor) && event.isBefore(next)) {
                next = event;
            }
        }
        nextWarning = next;
    }

    /** Why {@code read} cannot replace {@code current} for {@code agent}, or {@code null}. */
    private String check(String agent, TokenChain current, Checked<TokenChain> read) {
        if (read instanceof Checked.Failed<TokenChain> f) {
            return f.failure().code().code() + ": " + f.failure().detail();
        }
        TokenChain chain = read.orThrow();
        Checked<VerifiedCapability> verified = verifier.verify(chain);
        if (verified instanceof Checked.Failed<VerifiedCapability> f) {
            return f.failure().code().code() + ": " + f.failure().detail();
        }
        CapabilityToken leaf = verified.orThrow().leaf();
        if (!leaf.subject().equals(agents.get(agent).id())) {
            return "not_subject: the token is not issued to " + agent;
        }
        if (current != null) {
            String rule = Attenuation.renewalViolation(current.leafClaims().orThrow(), leaf);
            if (rule != null) {
                return rule + ": " + Attenuation.describe(rule);
            }
        }
        return null;
    }

    private static Object fileKey(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return a.isRegularFile() ? Arrays.asList(a.lastModifiedTime(), a.size(), a.fileKey()) : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("cannot read the attributes of {} ({})", f, e.getClass().getSimpleName());
            return null;
        }
    }

    /** Reads a token file: bounded, trailing newlines dropped, canonical form required. */
    static Checked<TokenChain> read(Path f) {
        int max = TokenLimits.DEFAULT.maxChainBytes();
        byte[] bytes;
        try {
            if (Files.size(f) > max + 2) {
                return Checked.failed(dev.moat.check.ReasonCode.OVERSIZED, f.getFileName() + " is larger than " + max + " bytes");
            }
            bytes = Files.readAllBytes(f);
        } catch (IOException e) {
            return Checked.failed(dev.moat.check.ReasonCode.MALFORMED, "cannot read " + f.getFileName() + " (" + e.getClass().getSimpleName() + ")");
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return TokenChain.parse(end == bytes.length ? bytes : Arrays.copyOf(bytes, end));
    }

    private void notice(String detail) {
        if (audit == null) {
            return;
        }
        try {
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.NOTICE, detail, null));
        } catch (RuntimeException e) {
            LOG.error("could not audit a token file notice: {}", e.getClass().getName());
        }
    }
}
