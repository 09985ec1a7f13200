package dev.moat;

import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.check.Checked;
import dev.moat.check.ReasonCode;
import dev.moat.crypto.Base64Url;
import dev.moat.guard.CallContext;
import dev.moat.guard.Guard;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageSigner;
import dev.moat.token.AttenuationException;
import dev.moat.token.CapabilityToken;
import dev.moat.token.Grant;
import dev.moat.token.Scope;
import dev.moat.token.TokenChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capabilities this runtime's agents hold, over the life of a long-running service.
 *
 * <ul>
 *   <li><b>Renewal.</b> Grants the runtime issued from the policy (it holds the issuing keys) are
 *   re-issued and re-delegated before they expire, {@code renew_before} ahead (default a tenth of
 *   {@code valid_for}, at least a minute). The check runs at call time against the clock, and on
 *   {@link #tick()} (a background ticker in production). The new chain is swapped into the
 *   agent's signer as one value, so a call signs with one consistent chain; the old chain stays
 *   valid until it expires, so calls in flight are never denied.</li>
 *   <li><b>Offline roots.</b> An agent whose capability the runtime cannot issue loads it from
 *   {@code <home>/tokens/<agent>.token} (the CLI's token file: the chain's canonical JSON). Each
 *   {@link #tick()} picks up a renewed file: verified against the trusted roots, issued to that
 *   agent, expiring later and granting nothing more than the one in use, or refused with a
 *   warning. Before the one in use expires (same margin) it warns: SLF4J WARN and an audit
 *   {@code notice}.</li>
 *   <li><b>At runtime.</b> {@link #issue} and {@link #delegate} make short-lived capabilities
 *   (attenuation enforced by {@link TokenChain#delegate}) and install them in the guard;
 *   {@link #scopeUsers} makes an agent's calls per user (see {@link UserScope}).</li>
 * </ul>
 * Every renewal, runtime issuance and refusal is audited as a {@code lifecycle} entry. Thread-safe.
 */
public final class Capabilities {
    private static final Logger LOG = LoggerFactory.getLogger(Capabilities.class);
    private static final Duration RETRY = Duration.ofSeconds(10);
    private static final ThreadLocal<Capability> REQUEST = new ThreadLocal<>();

    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, AgentKeypair> keys;
    private final Map<String, AgentId> ids;
    private final GrantPlan plan;
    private final OfflineTokens offline;
    private final Duration maxRuntimeLifetime;
    private final Set<String> managed = ConcurrentHashMap.newKeySet();
    private final Map<String, UserCapabilities> perUser = new ConcurrentHashMap<>();
    private volatile Map<String, TokenChain> planChains = Map.of();
    private volatile Instant planDue = Instant.MAX;
    private volatile Guard guard;
    private volatile dev.moat.tool.ToolRules toolRules = dev.moat.tool.ToolRules.empty();

    Capabilities(Clock clock, AuditLog audit, Map<String, AgentKeypair> keys, Map<String, AgentId> ids,
                 GrantPlan plan, OfflineTokens offline, Duration maxRuntimeLifetime) {
        this.clock = clock;
        this.audit = audit;
        this.keys = Map.copyOf(keys);
        this.ids = Map.copyOf(ids);
        this.plan = plan;
        this.offline = offline;
        this.maxRuntimeLifetime = maxRuntimeLifetime;
    }

    /**
     * The chains agents start with: token files first (they may be parents of the policy's
     * grants), then the policy's grants, issued now. Nothing is audited yet (the log's start entry
     * comes first).
     */
    Map<String, TokenChain> start() {
        Map<String, TokenChain> initial = new LinkedHashMap<>();
        if (offline != null) {
            initial.putAll(offline.loadAll());
        }
        if (plan != null && !plan.isEmpty()) {
            Map<String, TokenChain> derived = plan.derive(keys, ids, initial, clock.instant());
            for (Map.Entry<String, TokenChain> e : derived.entrySet()) {
                if (keys.containsKey(e.getKey())) {
                    initial.put(e.getKey(), e.getValue());
                    managed.add(e.getKey());
                }
            }
            planChains = Map.copyOf(derived);
            planDue = plan.dueAt(derived, offline == null ? Map.of() : offline.current());
        }
        return initial;
    }

    void attach(Guard g) {
        this.guard = g;
        if (offline != null) {
            offline.attach(g, audit);
        }
    }

    /**
     * The capability source the guard asks before each call: renews what is due, then picks the
     * caller's per-user chain when the agent's calls are per user.
     */
    Checked<TokenChain> select(String agent, CallContext context, TokenChain current) {
        renewIfDue();
        if (offline != null) {
            offline.warnIfDue(clock.instant());
        }
        TokenChain now = signerChain(agent).orElse(current);
        Capability request = REQUEST.get();
        if (request != null && request.agent().equals(agent)) {
            if (request.user() != null && !request.user().equals(context.user())) {
                return Checked.failed(ReasonCode.NOT_SUBJECT, "the request's capability was narrowed for another user");
            }
            if (request.user() == null && perUser.containsKey(agent)) {
                return Checked.failed(ReasonCode.NOT_SUBJECT, "the request's capability was not narrowed for a user");
            }
            return Checked.ok(request.chain());
        }
        UserCapabilities users = perUser.get(agent);
        if (users == null) {
            return Checked.ok(now);
        }
        return users.chainFor(context.user(), now);
    }

    /**
     * Renews what is due, picks up renewed token files and warns about capabilities about to
     * expire. A background ticker calls it (every 30 s for {@link Moat#fromPolicy}); tests call it
     * after moving their clock. Never throws: a failure is logged and audited, and retried.
     */
    public void tick() {
        try {
            if (offline != null && offline.poll(clock.instant()) && plan != null) {
                planDue = Instant.MIN; // a parent changed: re-derive its delegations now
            }
            renewIfDue();
            if (offline != null) {
                offline.warnIfDue(clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.error("capability renewal check failed: {}", e.getClass().getName());
        }
    }

    /** The capability {@code agent} signs its calls with now. */
    public Optional<Capability> current(String agent) {
        return signerChain(agent).map(c -> new Capability(agent, c));
    }

    /**
     * Issues a root capability at runtime: {@code root} (a trusted root whose key is held here)
     * grants {@code grant} to {@code subject}, which must be an agent whose key is held here; its
     * calls are signed with it from now on (until a renewal of the policy's grant replaces it,
     * if the policy grants that agent too; a runtime capability is not renewed). Audited.
     *
     * @throws IllegalArgumentException when a key is not held, the grant is not to {@code subject}
     *                                  or lives longer than the runtime maximum (default 1 h)
     */
    public Capability issue(String root, String subject, Grant grant) {
        AgentKeypair issuer = key(root);
        checkGrant(subject, grant);
        TokenChain chain = TokenChain.issue(issuer, grant);
        install(subject, chain, "issued by " + root);
        return new Capability(subject, chain);
    }

    /**
     * Delegates at runtime: {@code from} (whose key and capability are held here) delegates
     * {@code grant}, which must be no broader than its current capability, to {@code to}, whose
     * calls are then signed with it. Audited.
     *
     * @throws AttenuationException     naming the rule when the grant is broader
     * @throws IllegalArgumentException as for {@link #issue}, or when {@code from} holds no capability
     */
    public Capability delegate(String from, String to, Grant grant) {
        AgentKeypair holder = key(from);
        checkGrant(to, grant);
        TokenChain parent = signerChain(from).orElseThrow(() -> new IllegalArgumentException("'" + from + "' holds no capability"));
        TokenChain chain = parent.delegate(holder, grant);
        install(to, chain, "delegated by " + from);
        return new Capability(to, chain);
    }

    /**
     * Makes {@code agent}'s calls per user: each call must name its user
     * ({@link CallContext#user()}), and is signed with a capability the agent delegates to itself
     * for that user, {@code scope}'s templates filled with the user (made on first use, kept until
     * shortly before it expires, at most {@code scope.maxUsers()} at once). A call without a user,
     * or with a user value that is not one plain segment, is denied. Audited when a user's
     * capability is made.
     */
    public void scopeUsers(String agent, UserScope scope) {
        AgentKeypair kp = key(agent);
        Objects.requireNonNull(scope, "scope");
        if (signerChain(agent).isEmpty()) {
            throw new IllegalArgumentException("'" + agent + "' holds no capability to narrow per user");
        }
        perUser.put(agent, new UserCapabilities(kp, scope));
    }

    /**
     * The capability {@code agent}'s calls for {@code user} are signed with (made now if needed),
     * or the typed failure that would deny them. For applications that check before calling.
     */
    public Checked<Capability> forUser(String agent, String user) {
        UserCapabilities users = perUser.get(agent);
        TokenChain parent = signerChain(agent).orElse(null);
        if (users == null || parent == null) {
            return Checked.failed(ReasonCode.UNKNOWN_SENDER, "'" + agent + "' has no per-user capabilities");
        }
        renewIfDue();
        Checked<TokenChain> c = users.chainFor(user, signerChain(agent).orElse(parent));
        if (c instanceof Checked.Failed<TokenChain> f) {
            return Checked.failed(f.failure());
        }
        return Checked.ok(new Capability(agent, c.orThrow(), user));
    }

    /**
     * A capability narrowed to one request: {@code agent} delegates {@code grant} (its subject must
     * be the agent itself) to itself, attenuated from its current capability, or, for a per-user
     * agent, from {@code user}'s. Not installed: the calls made inside {@link #during} on this
     * thread are signed with it. Not audited on its own (every call signed with it is).
     *
     * @param user the call's user for a per-user agent, else {@code null}
     * @throws AttenuationException     when the grant is broader
     * @throws IllegalArgumentException as for {@link #delegate}, or for a bad or missing user
     */
    public Capability narrow(String agent, String user, Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return narrowFrom(agent, user, (id, parentExpiry) -> grant);
    }

    /**
     * Starts a capability for one request of {@code agent} (for {@code user}, {@code null} when the
     * agent is not per user): the tools it may call, by their rules in {@link Moat#toolRules()},
     * and the argument values it may pass them. See {@link RequestCapability}.
     */
    public RequestCapability.Builder forRequest(String agent, String user) {
        key(agent);
        return new RequestCapability.Builder(this, agent, user);
    }

    /** The tool rules {@link #forRequest} looks tools up in. */
    dev.moat.tool.ToolRules toolRules() {
        return toolRules;
    }

    void toolRules(dev.moat.tool.ToolRules rules) {
        this.toolRules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * {@link #narrow} with the grant made from the agent's id and the parent capability's expiry
     * (a request capability never outlives its parent).
     */
    Capability narrowFrom(String agent, String user, java.util.function.BiFunction<AgentId, Instant, Grant> grantFor) {
        AgentKeypair kp = key(agent);
        TokenChain parent = signerChain(agent).orElseThrow(() -> new IllegalArgumentException("'" + agent + "' holds no capability"));
        UserCapabilities users = perUser.get(agent);
        if (users != null) {
            Checked<TokenChain> c = users.chainFor(user, parent);
            if (c instanceof Checked.Failed<TokenChain> f) {
                throw new IllegalArgumentException(f.failure().detail());
            }
            parent = c.orThrow();
        }
        Grant grant = grantFor.apply(kp.id(), parent.leafClaims().orThrow().expiresAt());
        checkGrant(agent, grant);
        return new Capability(agent, parent.delegate(kp, grant), users == null ? null : user);
    }

    /**
     * Runs {@code work} with {@code request}'s capability (as {@link #during(Capability, java.util.function.Supplier)})
     * and its argument rules ({@link dev.moat.tool.RequestRules#during}) in force on this thread.
     */
    public <T> T during(RequestCapability request, java.util.function.Supplier<T> work) {
        Objects.requireNonNull(request, "request");
        return during(request.capability(), () -> request.rules().during(work));
    }

    Clock clock() {
        return clock;
    }

    /**
     * Runs {@code work} with {@code narrowed} (from {@link #narrow}) as the capability its agent's
     * calls on this thread are signed with; calls of other agents are unaffected, and a call for
     * another user than the one it was narrowed for is denied. Restored afterwards, also on an
     * exception.
     */
    public <T> T during(Capability narrowed, java.util.function.Supplier<T> work) {
        Objects.requireNonNull(narrowed, "narrowed");
        Capability previous = REQUEST.get();
        REQUEST.set(narrowed);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                REQUEST.remove();
            } else {
                REQUEST.set(previous);
            }
        }
    }

    private void renewIfDue() {
        if (plan == null || clock.instant().isBefore(planDue)) {
            return;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isBefore(planDue)) {
                return;
            }
            Map<String, TokenChain> derived;
            Map<String, TokenChain> held = offline == null ? Map.of() : offline.current();
            try {
                derived = plan.derive(keys, ids, held, now);
            } catch (RuntimeException e) {
                planDue = now.plus(RETRY);
                LOG.warn("could not renew the policy's capabilities ({}); retrying in {} s", e.getClass().getSimpleName(), RETRY.toSeconds());
                notice("could not renew the policy's capabilities: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                return;
            }
            Guard g = guard;
            for (Map.Entry<String, TokenChain> e : derived.entrySet()) {
                String agent = e.getKey();
                if (!managed.contains(agent) || g == null) {
                    continue;
                }
                Optional<MessageSigner> signer = g.signer(agent);
                if (signer.isPresent()) {
                    signer.get().renew(e.getValue());
                    audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.RENEW,
                            "renewed " + describe(agent, e.getValue()), null));
                }
            }
            planChains = Map.copyOf(derived);
            planDue = plan.dueAt(derived, held);
            LOG.info("renewed the policy's capabilities; next renewal at {}", planDue);
        }
    }

    private void install(String agent, TokenChain chain, String how) {
        AgentKeypair kp = key(agent);
        Guard g = Objects.requireNonNull(guard, "not attached");
        managed.remove(agent); // a runtime capability replaces the policy's until the agent's next restart
        MessageSigner signer = g.install(agent, new MessageSigner(kp, chain, clock, g.pep().audience(), g.pep().lastAccepted(kp.id())));
        signer.renew(chain);
        audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.CAPABILITY, how + ": " + describe(agent, chain), null));
    }

    private void checkGrant(String subject, Grant grant) {
        Objects.requireNonNull(grant, "grant");
        AgentKeypair kp = key(subject);
        if (!grant.subject().equals(kp.id())) {
            throw new IllegalArgumentException("the grant is not to '" + subject + "'");
        }
        Duration lifetime = Duration.between(grant.issuedAt(), grant.expiresAt());
        if (lifetime.compareTo(maxRuntimeLifetime) > 0) {
            throw new IllegalArgumentException("a runtime capability lives at most " + maxRuntimeLifetime + ", this one " + lifetime);
        }
        if (!grant.expiresAt().isAfter(clock.instant())) {
            throw new IllegalArgumentException("the grant has already expired");
        }
    }

    private AgentKeypair key(String agent) {
        AgentKeypair kp = keys.get(Objects.requireNonNull(agent, "agent"));
        if (kp == null) {
            throw new IllegalArgumentException("the key of '" + agent + "' is not held here");
        }
        return kp;
    }

    private Optional<TokenChain> signerChain(String agent) {
        Guard g = guard;
        return g == null ? Optional.empty() : g.signer(agent).map(MessageSigner::chain);
    }

    private void notice(String detail) {
        try {
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.NOTICE, detail, null));
        } catch (RuntimeException e) {
            LOG.error("could not audit a capability notice: {}", e.getClass().getName());
        }
    }

    static String describe(String agent, TokenChain chain) {
        CapabilityToken leaf = chain.leafClaims().orThrow();
        return agent + " (" + leaf.subject().value() + ") until " + leaf.expiresAt()
                + ", token " + leaf.id() + ", chain " + Base64Url.encode(chain.hash()).substring(0, 16);
    }

    /** One agent's per-user capabilities: a bounded LRU of chains, made on first use. */
    private final class UserCapabilities {
        private final AgentKeypair agent;
        private final UserScope scope;
        private final Duration margin;
        private final Map<String, Entry> entries;

        private record Entry(TokenChain parent, TokenChain chain, Instant renewAt) {}

        UserCapabilities(AgentKeypair agent, UserScope scope) {
            this.agent = agent;
            this.scope = scope;
            this.margin = GrantPlan.margin(scope.validFor(), null);
            int max = scope.maxUsers();
            this.entries = new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, UserCapabilities.Entry> eldest) {
                    return size() > max;
                }
            };
        }

        Checked<TokenChain> chainFor(String user, TokenChain parent) {
            Checked<String> checked = UserScope.checkUser(user);
            if (checked instanceof Checked.Failed<String> f) {
                return Checked.failed(f.failure());
            }
            Instant now = clock.instant();
            synchronized (entries) {
                Entry e = entries.get(user);
                if (e != null && e.parent == parent && now.isBefore(e.renewAt)) {
                    return Checked.ok(e.chain);
                }
                Checked<List<Scope>> filled = scope.fill(user);
                if (filled instanceof Checked.Failed<List<Scope>> f) {
                    return Checked.failed(f.failure());
                }
                Instant parentExpiry = parent.leafClaims().orThrow().expiresAt();
                Instant expiry = now.plus(scope.validFor());
                if (expiry.isAfter(parentExpiry)) {
                    expiry = parentExpiry;
                }
                Grant.Builder gb = Grant.to(agent.id()).issuedAt(now).expiresAt(expiry);
                filled.orThrow().forEach(gb::allow);
                TokenChain chain;
                try {
                    chain = parent.delegate(agent, gb.build());
                } catch (AttenuationException x) {
                    return Checked.failed(ReasonCode.BROADENED,
                            "the per-user scope is broader than " + agent.name() + "'s capability (" + x.getMessage() + ")");
                }
                Instant renewAt = expiry.minus(margin);
                entries.put(user, new Entry(parent, chain, renewAt.isAfter(now) ? renewAt : expiry));
                audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.CAPABILITY,
                        "per-user capability for user '" + user + "': " + describe(agent.name(), chain), null));
                return Checked.ok(chain);
            }
        }
    }

    /** Copy for tests and tools: the chains the policy's grants produced most recently. */
    Map<String, TokenChain> planChains() {
        return new HashMap<>(planChains);
    }

    /** When the policy's grants are next renewed ({@link Instant#MAX}: never). */
    Instant nextRenewal() {
        return planDue;
    }
}
