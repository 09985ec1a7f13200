package dev.moat;

import dev.moat.audit.ArgumentsMode;
import dev.moat.audit.AuditEvent;
import dev.moat.audit.AuditLog;
import dev.moat.audit.InMemoryAuditStore;
import dev.moat.guard.AuditingListener;
import dev.moat.guard.Guard;
import dev.moat.guard.GuardOptions;
import dev.moat.guard.MonitorStep;
import dev.moat.guard.SandboxRunner;
import dev.moat.monitor.CallKindResolver;
import dev.moat.monitor.MonitorRules;
import dev.moat.secrets.SecretProxy;
import dev.moat.home.HomeTrustStore;
import dev.moat.home.LiveRevocations;
import dev.moat.home.LiveTrustStore;
import dev.moat.home.RevocationFile;
import dev.moat.identity.AgentIdentity;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageSigner;
import dev.moat.pep.PolicyEnforcementPoint;
import dev.moat.policy.PolicyBinding;
import dev.moat.relay.AgentRegistry;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.replay.SequenceStore;
import dev.moat.store.Stores;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Wires registry, replay store, PEP, audit log and guard for the common case. Build one with
 * {@link #builder()} or start one from a policy file with {@link #fromPolicy}.
 * Closing it writes a final signed audit checkpoint and releases the stores.
 */
public final class Moat implements AutoCloseable {
    private final AgentRegistry registry;
    private final SequenceStore sequences;
    private final AuditLog audit;
    private final Stores stores;
    private final PolicyEnforcementPoint pep;
    private final Guard guard;
    private final SecretProxy secrets;
    private final LiveRevocations revocations;
    private final dev.moat.store.SharedTrust sharedTrust;
    private final LiveTrustStore trust;
    private final Capabilities capabilities;
    private final dev.moat.tool.ToolRules toolRules;
    private final java.util.concurrent.ScheduledExecutorService ticker;
    private boolean closed;

    private Moat(Builder b) {
        this.registry = b.registry;
        this.sequences = b.sequences;
        this.audit = b.audit;
        this.stores = b.stores;
        this.trust = b.homeTrust;
        // the PEP's own identity, signed into every message as its audience: by default the id of
        // this instance's audit key, so another instance sharing the policy refuses our envelopes
        String audience = b.audience != null ? b.audience : dev.moat.identity.AgentId.of(audit.publicKey()).value();
        PolicyEnforcementPoint.Builder pb = PolicyEnforcementPoint.builder(registry, sequences, b.policy)
                .audience(audience)
                .routerLimits(b.routerLimits)
                .clock(b.clock)
                .listener(new AuditingListener(audit, b.auditArguments))
                .shadow(b.shadow);
        if (b.stores != null) {
            pb.rateLimiter(b.stores.rateLimiter(b.routerLimits.rateLimit(), b.routerLimits.rateWindow(), b.clock));
        }
        this.pep = pb.build();
        Map<String, dev.moat.identity.AgentId> ids = new HashMap<>();
        for (AgentIdentity a : registry.agents()) {
            ids.put(a.name(), a.id());
        }
        OfflineTokens offline = null;
        if (b.tokenDir != null) {
            Map<String, AgentKeypair> fromFiles = new LinkedHashMap<>(b.keypairs);
            fromFiles.keySet().removeAll(b.capabilities.keySet());
            if (b.plan != null) {
                b.plan.steps().forEach(st -> fromFiles.remove(st.subject()));
            }
            offline = new OfflineTokens(b.tokenDir, fromFiles, dev.moat.token.TokenVerifier.builder()
                    .trustRoots(registry::isTrustedRoot).revocation(registry).clock(b.clock).build(), b.clock);
        }
        this.capabilities = new Capabilities(b.clock, audit, b.keypairs, ids, b.plan, offline, b.runtimeLifetime);
        Map<String, TokenChain> chains = new LinkedHashMap<>(b.capabilities);
        chains.putAll(capabilities.start());
        Map<String, MessageSigner> signers = new HashMap<>();
        for (Map.Entry<String, TokenChain> e : chains.entrySet()) {
            AgentKeypair kp = b.keypairs.get(e.getKey());
            // Seeded from the replay store: continues above the last accepted number whatever the clock did.
            signers.put(e.getKey(), new MessageSigner(kp, e.getValue(), b.clock, audience, sequences.last(kp.id())));
        }
        MonitorStep monitorStep = b.monitorRules == null ? null : MonitorStep.create(b.monitorRules, b.callKinds, audit, b.clock);
        this.guard = new Guard(pep, signers, audit, new GuardOptions(monitorStep, b.sandbox, b.secrets, capabilities::select,
                b.observers, b.detailedDenials ? dev.moat.guard.DenialText.DETAILED : dev.moat.guard.DenialText.BRIEF));
        this.secrets = b.secrets;
        this.toolRules = b.toolRules;
        capabilities.toolRules(toolRules);
        audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.START,
                "moat started with " + registry.agents().size() + " agents", b.policy.sha256Base64Url()));
        if (stores != null) {
            stores.auditFleet(audit::append); // a shared store: the other replicas' heads in this chain
        }
        if (b.home != null) {
            this.revocations = LiveRevocations.start(RevocationFile.in(b.home), audit::append, LiveRevocations.POLL);
            registry.revocationSource(revocations);
        } else {
            this.revocations = null;
        }
        this.sharedTrust = b.sharedTrust;
        if (b.sharedTrustBinding != null) { // the fleet's roots and revocations, live, with the home's list
            b.sharedTrustBinding.enforce(revocations);
        }
        capabilities.attach(guard);
        if (b.tickEvery != null && (b.plan != null || offline != null)) {
            this.ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "moat-capabilities");
                t.setDaemon(true);
                return t;
            });
            long ms = b.tickEvery.toMillis();
            ticker.scheduleWithFixedDelay(capabilities::tick, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        } else {
            this.ticker = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads a policy file and starts Moat from it: keys, trusted roots, grants, replay store,
     * audit log, monitor, secrets and sandbox settings. Throws {@link dev.moat.policy.PolicyException}
     * naming the file and position for an invalid policy.
     */
    public static Moat fromPolicy(java.nio.file.Path policyFile) {
        return PolicyRuntime.start(dev.moat.policy.MoatPolicy.load(policyFile));
    }

    public Guard guard() {
        return guard;
    }

    /**
     * The tool rules (resource mapping, argument rules, approval, sandbox, secrets per tool name or
     * glob) that adapters apply: from the policy file's {@code tools:} section, else empty.
     */
    public dev.moat.tool.ToolRules toolRules() {
        return toolRules;
    }

    /**
     * The agents' capabilities over time: renewal, token files of an offline root, runtime
     * issuance and delegation, per-user capabilities (see {@link Capabilities}).
     */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The secret proxy, when the configuration declares secrets. */
    public java.util.Optional<SecretProxy> secrets() {
        return java.util.Optional.ofNullable(secrets);
    }

    public AgentRegistry registry() {
        return registry;
    }

    /**
     * The home's live revocation list, when this Moat was given a home ({@link Builder#home}, or a
     * policy): {@code revocations().get().revokeAgent(id)} writes {@code revoked.json} atomically,
     * applies it at once and audits it; the CLI's {@code moat token revoke} is picked up within a second.
     */
    public java.util.Optional<LiveRevocations> revocations() {
        return java.util.Optional.ofNullable(revocations);
    }

    /**
     * The fleet's trusted roots and revocations, when the {@link Builder#stores shared stores} keep
     * them (PostgreSQL does): {@code sharedTrust().get().revokeAgent(id)} takes effect on every
     * instance within a second.
     */
    public java.util.Optional<dev.moat.store.SharedTrust> sharedTrust() {
        return java.util.Optional.ofNullable(sharedTrust);
    }

    /**
     * The home's live trust store, when this Moat was given a home: roots added or removed with
     * {@code moat identity trust [--remove]} are trusted or refused within a second (audited).
     */
    public java.util.Optional<LiveTrustStore> trustStore() {
        return java.util.Optional.ofNullable(trust);
    }

    public AuditLog audit() {
        return audit;
    }

    public PolicyEnforcementPoint pep() {
        return pep;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (revocations != null) {
            revocations.close();
        }
        if (sharedTrust != null) {
            sharedTrust.close();
        }
        if (trust != null) {
            trust.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        try {
            audit.append(new AuditEvent.Lifecycle(AuditEvent.Lifecycle.Kind.STOP, "moat stopped", null));
        } finally {
            try {
                audit.close();
            } finally {
                try {
                    sequences.close();
                } finally {
                    if (stores != null) {
                        stores.close();
                    }
                }
            }
        }
    }

    /** Builder: agents, trusted roots, capabilities, stores. */
    public static final class Builder {
        private final AgentRegistry registry = new AgentRegistry();
        private final Map<String, AgentKeypair> keypairs = new LinkedHashMap<>();
        private final Map<String, TokenChain> capabilities = new LinkedHashMap<>();
        private final List<String> roots = new ArrayList<>();
        private SequenceStore sequences;
        private AuditLog audit;
        private Stores stores;
        private dev.moat.store.SharedTrust sharedTrust;
        private SharedTrustBinding sharedTrustBinding;
        private PolicyBinding policy;
        private RouterLimits routerLimits = RouterLimits.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private AgentKeypair inMemoryAuditKey;
        private MonitorRules monitorRules;
        private CallKindResolver callKinds = CallKindResolver.executeOnly();
        private SecretProxy secrets;
        private SandboxRunner sandbox;
        private String audience;
        private ArgumentsMode auditArguments = ArgumentsMode.HASH;
        private java.nio.file.Path home;
        private LiveTrustStore homeTrust;
        private GrantPlan plan;
        private java.nio.file.Path tokenDir;
        private java.time.Duration tickEvery;
        private java.time.Duration runtimeLifetime = java.time.Duration.ofHours(1);
        private dev.moat.pep.ShadowMode shadow = dev.moat.pep.ShadowMode.ENFORCE;
        private final List<dev.moat.guard.DecisionObserver> observers = new ArrayList<>();
        private boolean detailedDenials;
        private dev.moat.tool.ToolRules toolRules = dev.moat.tool.ToolRules.empty();

        private Builder() {
            registry.registerEndpoint(Guard.RECIPIENT);
        }

        /**
         * This instance's identity as a policy enforcement point, the signed audience of its
         * messages (default: the agent id of the audit log's key). Instances must not share one.
         */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Registers an agent whose private key is held here (it can be signed for). */
        public Builder agent(AgentKeypair keypair) {
            registry.register(keypair.identity());
            keypairs.put(keypair.name(), keypair);
            return this;
        }

        /** Registers an agent known only by its public key. */
        public Builder identity(AgentIdentity identity) {
            registry.register(identity);
            return this;
        }

        /** Trusts the named, registered agent as a root issuer. */
        public Builder trustRoot(String agentName) {
            roots.add(agentName);
            return this;
        }

        /** Gives the named agent (whose key is held here) the capability it presents on calls. */
        public Builder capability(String agentName, TokenChain chain) {
            capabilities.put(agentName, Objects.requireNonNull(chain));
            return this;
        }

        public Builder sequenceStore(SequenceStore store) {
            this.sequences = store;
            return this;
        }

        /**
         * Shared stores (see {@link dev.moat.store.StoreProviders}): their sequence store and rate
         * limiter are used, and they are closed with Moat. The audit log is still given with
         * {@link #auditLog}, over {@link Stores#auditStore()}.
         */
        public Builder stores(Stores shared) {
            this.stores = Objects.requireNonNull(shared);
            this.sequences = shared.sequenceStore();
            return this;
        }

        public Builder auditLog(AuditLog log) {
            this.audit = log;
            return this;
        }

        public Builder policy(PolicyBinding binding) {
            this.policy = binding;
            return this;
        }

        public Builder routerLimits(RouterLimits limits) {
            this.routerLimits = Objects.requireNonNull(limits);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Observes every allowed call with these rules; {@code kinds} classifies resources. */
        public Builder monitor(MonitorRules rules, CallKindResolver kinds) {
            this.monitorRules = Objects.requireNonNull(rules);
            this.callKinds = Objects.requireNonNull(kinds);
            return this;
        }

        /**
         * The sandbox for WebAssembly tools, for example moat-sandbox's
         * {@code Sandbox.builder()...build()} (default: the {@link dev.moat.guard.SandboxProvider}'s
         * on first use; without moat-sandbox on the class path sandboxed calls fail).
         */
        public Builder sandbox(SandboxRunner sandbox) {
            this.sandbox = Objects.requireNonNull(sandbox);
            return this;
        }

        /**
         * Shares a Moat home with the CLI: every root in its {@code trusted_roots.json} is trusted
         * besides those given with {@link #trustRoot}, live (see {@link LiveTrustStore}), and its
         * {@code revoked.json} is enforced live (see {@link LiveRevocations}). An unreadable trust
         * store refuses to start; one that becomes unreadable while running denies every call.
         */
        public Builder home(java.nio.file.Path home) {
            this.home = Objects.requireNonNull(home);
            return this;
        }

        /** What decision entries keep of a call's arguments (default {@link ArgumentsMode#HASH}). */
        public Builder auditArguments(ArgumentsMode mode) {
            this.auditArguments = Objects.requireNonNull(mode);
            return this;
        }

        /** The policy's grants, issued at start and renewed before they expire. */
        Builder grantPlan(GrantPlan grants) {
            this.plan = grants;
            return this;
        }

        /**
         * Agents whose keys are held here and who are given no capability otherwise take theirs
         * from {@code <dir>/<agent>.token} (issued by an offline root with {@code moat token
         * create}), and take up renewed files while running. {@link Moat#fromPolicy} uses
         * {@code <home>/tokens}.
         */
        public Builder tokenFiles(java.nio.file.Path dir) {
            this.tokenDir = Objects.requireNonNull(dir);
            return this;
        }

        /**
         * Checks renewal and token files in the background this often (default: never; renewal is
         * still checked at every call). {@link Moat#fromPolicy} uses 30 seconds.
         */
        public Builder renewalTicker(java.time.Duration every) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("the ticker interval must be positive");
            }
            this.tickEvery = every;
            return this;
        }

        /** The longest lifetime a capability issued or delegated at runtime may have (default 1 h). */
        public Builder runtimeLifetime(java.time.Duration max) {
            if (max.isNegative() || max.isZero()) {
                throw new IllegalArgumentException("the runtime lifetime must be positive");
            }
            this.runtimeLifetime = max;
            return this;
        }

        /**
         * Audit-only ("shadow") mode for the calls {@code mode} names, added to any given before:
         * their authorization denials (scope, argument rules, monitor) are audited as would-deny and
         * the calls run; authentication, replay, freshness and internal errors stay enforced
         * ({@link dev.moat.pep.ShadowMode}). {@link dev.moat.pep.ShadowMode#ALL} for every call.
         */
        public Builder shadow(dev.moat.pep.ShadowMode mode) {
            this.shadow = this.shadow.or(Objects.requireNonNull(mode, "mode"));
            return this;
        }

        /**
         * Tells {@code observer} every guarded call's final decision, monitor alert and sandbox stop
         * (metrics, tracing, the application's logs); may be called more than once. An observer
         * cannot change a decision, and what it throws is caught.
         */
        public Builder observer(dev.moat.guard.DecisionObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
            return this;
        }

        /**
         * Whether the denial text a model reads includes the decision's detail, which may name
         * policy values (default false: stage, reason code and a fixed sentence only). For development.
         */
        public Builder detailedDenials(boolean detailed) {
            this.detailedDenials = detailed;
            return this;
        }

        /** A secret proxy that tools resolve handles through. */
        public Builder secrets(SecretProxy proxy) {
            this.secrets = Objects.requireNonNull(proxy);
            return this;
        }

        /** The tool rules adapters check calls with (the policy file's {@code tools:} section); default none. */
        public Builder toolRules(dev.moat.tool.ToolRules rules) {
            this.toolRules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        public Moat build() {
            for (String r : roots) {
                registry.trustRoot(registry.findByName(r)
                        .orElseThrow(() -> new MoatException("trusted root '" + r + "' is not a registered agent")).id());
            }
            for (Map.Entry<String, TokenChain> e : capabilities.entrySet()) {
                AgentKeypair kp = keypairs.get(e.getKey());
                if (kp == null) {
                    throw new MoatException("capability given for '" + e.getKey() + "' but its private key is not held here");
                }
                var leaf = e.getValue().leafClaims();
                if (!leaf.isOk() || !leaf.orThrow().subject().equals(kp.id())) {
                    throw new MoatException("capability for '" + e.getKey() + "' is not issued to that agent");
                }
            }
            if (stores != null && audit != null && sharedTrust == null) {
                // the fleet's roots count at start; revocations are enforced from construction on
                sharedTrust = stores.sharedTrust(audit::append).orElse(null);
                if (sharedTrust != null) {
                    sharedTrustBinding = SharedTrustBinding.roots(sharedTrust, registry);
                }
            }
            if (registry.trustedRoots().isEmpty() && (home == null || HomeTrustStore.in(home).read().isEmpty())) {
                throw new MoatException("no trusted root: every capability would be refused");
            }
            if (inMemoryAuditKey != null) {
                sequences = sequences == null ? new InMemorySequenceStore() : sequences;
                audit = audit == null ? AuditLog.builder(new InMemoryAuditStore(), inMemoryAuditKey).clock(clock).open() : audit;
            }
            if (sequences == null) {
                throw new MoatException("no sequence store: use FileSequenceStore.open(dir) (or InMemorySequenceStore for tests)");
            }
            if (audit == null) {
                throw new MoatException("no audit log: use AuditLog.builder(JsonlAuditStore...) (or an in-memory store for tests)");
            }
            if (policy == null) {
                policy = PolicyBinding.of("inline", describe().getBytes(StandardCharsets.UTF_8));
            }
            if (home == null) {
                return new Moat(this);
            }
            // the home's trusted roots, live: before capabilities start, as token files of an offline root are verified against them
            homeTrust = LiveTrustStore.start(HomeTrustStore.in(home), audit::append, LiveTrustStore.POLL);
            registry.homeTrust(homeTrust);
            try {
                return new Moat(this);
            } catch (RuntimeException | Error e) {
                homeTrust.close();
                throw e;
            }
        }

        /** Convenience for tests and demos: in-memory replay state and audit log. */
        public Builder inMemoryStores(AgentKeypair auditKey) {
            this.inMemoryAuditKey = Objects.requireNonNull(auditKey);
            return this;
        }

        private String describe() {
            StringBuilder sb = new StringBuilder();
            registry.agents().stream().map(a -> a.id().value()).sorted().forEach(id -> sb.append("agent ").append(id).append('\n'));
            roots.stream().sorted().forEach(r -> sb.append("root ").append(r).append('\n'));
            sb.append(routerLimits).append('\n');
            return sb.toString();
        }
    }
}
