package dev.moat.secrets;

import dev.moat.MoatException;
import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.crypto.Base64Url;
import dev.moat.crypto.ConstantTime;
import dev.moat.identity.AgentId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds secret values and hands out opaque, agent-bound {@link SecretHandle}s instead. Values are
 * only ever injected at the point of use ({@link SecretHttp}, {@link SecretProcess}); nothing in
 * the public API returns one.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Handles are 32 bytes from {@link SecureRandom}; the presented text is looked up by its
 *       SHA-256 and then compared in constant time.</li>
 *   <li>A handle resolves only for the agent it was issued to, while that agent's ACL grants the
 *       secret, and while neither handle, secret nor agent is revoked or the handle expired.
 *       Every check runs on every resolution, so revocation takes effect on the next one.</li>
 *   <li>Every resolution attempt produces exactly one {@link SecretResolutionEvent}, granted or
 *       denied, carrying the handle and the hash of the secret's name, never the value.</li>
 *   <li>Values never appear in logs, exception messages or {@code toString()}.</li>
 *   <li>Thread-safe.</li>
 * </ul>
 */
public final class SecretProxy {
    private static final Logger LOG = LoggerFactory.getLogger(SecretProxy.class);

    private record Entry(SecretDeclaration declaration, SecretValue value, String nameHash) {}

    private final Clock clock;
    private final SecureRandom random;
    private final SecretListener listener;
    private final Function<String, String> environment;
    private final Duration handleTtl;
    private final int maxHandles;
    private final ConcurrentHashMap<SecretName, Entry> secrets = new ConcurrentHashMap<>();
    private final Set<SecretName> revokedSecrets = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<AgentId, Set<SecretName>> acl = new ConcurrentHashMap<>();
    private final Set<AgentId> revokedAgents = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, HandleRecord> handles = new ConcurrentHashMap<>();
    private volatile Redactor redactor = Redactor.none();

    private SecretProxy(Builder b) {
        this.clock = b.clock;
        this.random = b.random;
        this.listener = b.listener;
        this.environment = b.environment;
        this.handleTtl = b.handleTtl;
        this.maxHandles = b.maxHandles;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Loads and registers a secret. Misconfiguration (missing variable, unreadable file, duplicate) throws. */
    public synchronized void declare(SecretDeclaration declaration) {
        Objects.requireNonNull(declaration, "declaration");
        if (secrets.containsKey(declaration.name())) {
            throw new MoatException("secret already declared: " + declaration.name().hash());
        }
        SecretValue value = SecretLoader.load(declaration.source(), environment);
        if (value.length() < Redactor.MIN_LENGTH) {
            value.destroy();
            throw new MoatException("secret from " + declaration.source() + " is shorter than "
                    + Redactor.MIN_LENGTH + " characters: too short to redact reliably");
        }
        secrets.put(declaration.name(), new Entry(declaration, value, declaration.name().hash()));
        rebuildRedactor();
        LOG.info("secret declared: name-hash={} source={}", declaration.name().hash(), declaration.source());
    }

    /** Lets {@code agent} obtain handles for {@code name}. */
    public void grant(AgentId agent, SecretName name) {
        requireDeclared(name);
        acl.computeIfAbsent(agent, a -> ConcurrentHashMap.newKeySet()).add(name);
    }

    /** Withdraws a grant; the agent's existing handles for it stop resolving. */
    public void revokeGrant(AgentId agent, SecretName name) {
        Set<SecretName> s = acl.get(agent);
        if (s != null) {
            s.remove(name);
        }
    }

    /** Issues a fresh handle for {@code name}, bound to {@code agent}, if its ACL grants it. */
    public Checked<SecretHandle> issue(AgentId agent, SecretName name) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(name, "name");
        SecretDenial denial = null;
        if (!secrets.containsKey(name) || !granted(agent, name)) {
            denial = SecretDenial.NOT_GRANTED;
        } else if (revokedAgents.contains(agent)) {
            denial = SecretDenial.AGENT_REVOKED;
        } else if (revokedSecrets.contains(name)) {
            denial = SecretDenial.SECRET_REVOKED;
        } else if (handles.size() >= maxHandles && !pruneExpired()) {
            denial = SecretDenial.TOO_MANY_HANDLES;
        }
        if (denial != null) {
            LOG.warn("secret handle refused: agent={} name-hash={} reason={}", agent.shortForm(), name.hash(), denial.code());
            return Checked.failed(Failure.of(denial.reasonCode(), "secret handle refused: " + denial.code()));
        }
        byte[] raw = new byte[SecretHandle.RANDOM_BYTES];
        random.nextBytes(raw);
        SecretHandle handle = new SecretHandle(SecretHandle.PREFIX + Base64Url.encode(raw));
        Instant expires = handleTtl == null ? null : clock.instant().plus(handleTtl);
        handles.put(handle.lookupKey(), new HandleRecord(handle, agent, name, expires));
        LOG.debug("secret handle issued: agent={} handle={} name-hash={}", agent.shortForm(), handle.fingerprint(), name.hash());
        return Checked.ok(handle);
    }

    /** Revokes one handle. */
    public void revoke(SecretHandle handle) {
        HandleRecord r = handles.get(handle.lookupKey());
        if (r != null && ConstantTime.equal(r.handleBytes, handle.value().getBytes(StandardCharsets.US_ASCII))) {
            r.revoked = true;
        }
    }

    /** Revokes a secret: no handle of it resolves and none is issued any more. Redaction still covers it. */
    public void revokeSecret(SecretName name) {
        revokedSecrets.add(name);
    }

    /** Revokes an agent: none of its handles resolve and none is issued to it any more. */
    public void revokeAgent(AgentId agent) {
        revokedAgents.add(agent);
    }

    /** A redactor covering every declared secret, revoked ones included. */
    public Redactor redactor() {
        return redactor;
    }

    /** Names of the declared secrets. */
    public Set<SecretName> declaredSecrets() {
        return Set.copyOf(secrets.keySet());
    }

    /**
     * Resolves {@code presented} for {@code agent} at {@code use}, emitting exactly one event.
     * Package-private: only the injectors may hold a value.
     */
    Checked<Lease> resolve(AgentId agent, String presented, SecretUse use) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(use, "use");
        Instant now = clock.instant();
        if (!SecretHandle.isWellFormed(presented)) {
            return deny(now, agent, "", "", use, SecretDenial.MALFORMED_HANDLE);
        }
        HandleRecord r = handles.get(SecretHandle.lookupKey(presented));
        if (r == null || !ConstantTime.equal(r.handleBytes, presented.getBytes(StandardCharsets.US_ASCII))) {
            return deny(now, agent, presented, "", use, SecretDenial.UNKNOWN_HANDLE);
        }
        Entry e = secrets.get(r.name);
        String nameHash = r.name.hash();
        SecretDenial denial = null;
        if (!r.agent.equals(agent)) {
            denial = SecretDenial.WRONG_AGENT;
        } else if (revokedAgents.contains(agent)) {
            denial = SecretDenial.AGENT_REVOKED;
        } else if (e == null || revokedSecrets.contains(r.name)) {
            denial = SecretDenial.SECRET_REVOKED;
        } else if (r.revoked) {
            denial = SecretDenial.HANDLE_REVOKED;
        } else if (r.expiresAt != null && !now.isBefore(r.expiresAt)) {
            denial = SecretDenial.HANDLE_EXPIRED;
        } else if (!granted(agent, r.name)) {
            denial = SecretDenial.NOT_GRANTED;
        } else if (!allows(e.declaration(), use)) {
            denial = SecretDenial.USE_NOT_ALLOWED;
        } else if (e.value().isDestroyed()
                || e.value().containsControl(use.kind() == SecretUse.Kind.PROCESS_ENV)) {
            denial = SecretDenial.UNSAFE_VALUE;
        }
        if (denial != null) {
            return deny(now, agent, presented, nameHash, use, denial);
        }
        try {
            listener.onResolution(new SecretResolutionEvent(now, agent, presented, nameHash, use, null));
        } catch (RuntimeException ex) {
            LOG.error("secret listener failed ({}); denying", ex.getClass().getName());
            return Checked.failed(Failure.of(SecretDenial.INTERNAL.reasonCode(), "secret resolution: " + SecretDenial.INTERNAL.code()));
        }
        LOG.debug("secret resolved: agent={} handle={} name-hash={} use={}:{}", agent.shortForm(),
                fingerprint(presented), nameHash, use.kind(), use.target());
        return Checked.ok(new Lease(r.name, e.value()));
    }

    private Checked<Lease> deny(Instant now, AgentId agent, String handle, String nameHash, SecretUse use, SecretDenial denial) {
        LOG.warn("secret resolution denied: agent={} handle={} name-hash={} use={}:{} reason={}", agent.shortForm(),
                handle.isEmpty() ? "-" : fingerprint(handle), nameHash.isEmpty() ? "-" : nameHash, use.kind(),
                use.target(), denial.code());
        try {
            listener.onResolution(new SecretResolutionEvent(now, agent, handle, nameHash, use, denial));
        } catch (RuntimeException ex) {
            LOG.error("secret listener failed ({}) on a denial", ex.getClass().getName());
        }
        return Checked.failed(Failure.of(denial.reasonCode(), "secret resolution: " + denial.code()));
    }

    private static boolean allows(SecretDeclaration d, SecretUse use) {
        return switch (use.kind()) {
            case HTTP_HEADER -> d.allowsHttp(use.target(), use.encrypted());
            case PROCESS_ENV -> d.processEnv();
        };
    }

    private boolean granted(AgentId agent, SecretName name) {
        Set<SecretName> s = acl.get(agent);
        return s != null && s.contains(name);
    }

    private void requireDeclared(SecretName name) {
        if (!secrets.containsKey(name)) {
            throw new MoatException("secret not declared: " + name.hash());
        }
    }

    private boolean pruneExpired() {
        Instant now = clock.instant();
        handles.values().removeIf(r -> r.expiresAt != null && !now.isBefore(r.expiresAt));
        return handles.size() < maxHandles;
    }

    private void rebuildRedactor() {
        List<SecretValue> values = new ArrayList<>();
        for (Map.Entry<SecretName, Entry> e : secrets.entrySet()) {
            values.add(e.getValue().value());
        }
        redactor = Redactor.of(values);
    }

    private static String fingerprint(String handle) {
        return SecretHandle.lookupKey(handle).substring(0, 12);
    }

    @Override
    public String toString() {
        return "SecretProxy[secrets=" + secrets.size() + ", handles=" + handles.size() + "]";
    }

    /** Builder. Handles live one hour by default; {@code handleTtl(null)} makes them live until revoked. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();
        private SecretListener listener = SecretListener.NONE;
        private Function<String, String> environment = System::getenv;
        private Duration handleTtl = Duration.ofHours(1);
        private int maxHandles = 100_000;

        private Builder() {}

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder random(SecureRandom r) {
            this.random = Objects.requireNonNull(r, "random");
            return this;
        }

        public Builder listener(SecretListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Where {@link SecretSource.Env} values are read; {@code System::getenv} by default. */
        public Builder environment(Function<String, String> lookup) {
            this.environment = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        public Builder handleTtl(Duration ttl) {
            if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
                throw new IllegalArgumentException("handleTtl must be positive");
            }
            this.handleTtl = ttl;
            return this;
        }

        public Builder maxHandles(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxHandles must be >= 1");
            }
            this.maxHandles = n;
            return this;
        }

        public SecretProxy build() {
            return new SecretProxy(this);
        }
    }
}
