package dev.moat;

import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditStore;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.guard.SandboxProvider;
import dev.moat.identity.AgentKeypair;
import dev.moat.identity.HomeFolder;
import dev.moat.identity.KeyFiles;
import dev.moat.policy.Durations;
import dev.moat.policy.MoatPolicy;
import dev.moat.policy.PolicyDocument;
import dev.moat.policy.PolicyException;
import dev.moat.policy.PolicyValues;
import dev.moat.policy.SecretSpec;
import dev.moat.secrets.SecretAudit;
import dev.moat.secrets.SecretName;
import dev.moat.secrets.SecretProxy;
import dev.moat.replay.FileSequenceStore;
import dev.moat.store.StoreProviders;
import dev.moat.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@link Moat} from a {@link MoatPolicy}: loads the agents' key files, trusts the roots,
 * issues the grants in file order (a trusted root issues a root token; any other issuer delegates
 * from the capability it was granted earlier in the file, so attenuation is enforced) and renews
 * them before they expire ({@code renew_before}), takes capabilities of an offline root from
 * {@code <home>/tokens/<agent>.token} for agents granted nothing in the file, opens the
 * replay store and the audit log (its signing key is created owner-only on first use), and
 * configures the monitor, the secret proxy and the sandbox (the module {@code moat-sandbox}, found
 * through {@link SandboxProvider}). The wiring above {@code dev.moat.policy}, which is only the
 * document and its validation.
 */
public final class PolicyRuntime {
    private static final java.time.Duration TICK = java.time.Duration.ofSeconds(30);

    private PolicyRuntime() {}

    /** With the system clock, and a background renewal check every 30 seconds. */
    public static Moat start(MoatPolicy policy) {
        return start(policy, Clock.systemUTC(), TICK, System::getenv, List.of());
    }

    /**
     * As {@link #start(MoatPolicy)}, telling {@code observers} every guarded call's decision (in
     * addition to those the class path provides, {@link dev.moat.guard.ObserverProvider}).
     */
    public static Moat start(MoatPolicy policy, List<dev.moat.guard.DecisionObserver> observers) {
        return start(policy, Clock.systemUTC(), TICK, System::getenv, List.copyOf(observers));
    }

    /**
     * With {@code clock} and no background ticker: renewal is checked at every call, and by
     * {@link Capabilities#tick()} (tests move their clock and call it).
     */
    public static Moat start(MoatPolicy policy, Clock clock) {
        return start(policy, clock, null, System::getenv, List.of());
    }

    /**
     * As {@link #start(MoatPolicy, Clock)}, with {@code env} resolving the environment variables the
     * policy names (a shared store's password), for embedding and tests.
     */
    public static Moat start(MoatPolicy policy, Clock clock, java.util.function.Function<String, String> env) {
        return start(policy, clock, null, env, List.of());
    }

    /**
     * A dry start: everything {@link #start(MoatPolicy)} does that can fail (load and match every
     * key file, issue and delegate every grant in file order with attenuation enforced, verify the
     * chains against the trusted roots and the home's trust store and revocation list, create the
     * sandbox, declare the secrets, build the monitor) but with the audit log and the replay state
     * in memory: nothing is written, no lock is taken, no shared store is contacted, no renewal
     * ticker runs. Used by {@code moat policy check} and {@code moat policy explain}; the returned
     * {@code Moat} decides calls exactly as a started one would. Errors name the failing
     * field or grant by {@code file:line:column}.
     */
    public static Moat dryStart(MoatPolicy policy) {
        Moat moat = start(policy, Clock.systemUTC(), null, System::getenv, List.of(), true);
        try {
            dev.moat.token.TokenVerifier verifier = dev.moat.token.TokenVerifier.builder()
                    .trustRoots(moat.registry()::isTrustedRoot).revocation(moat.registry()).build();
            for (String agent : new java.util.TreeSet<>(moat.guard().agents())) {
                var chain = moat.guard().capability(agent).orElseThrow();
                if (verifier.verify(chain) instanceof dev.moat.check.Checked.Failed<?> f) {
                    throw policy.error(grantOf(policy.document(), agent), "the capability of '" + agent + "' does not verify: "
                            + f.failure().code().code() + ": " + f.failure().detail());
                }
            }
            return moat;
        } catch (RuntimeException | Error e) {
            moat.close();
            throw e;
        }
    }

    /** {@code grants[i]} of the last grant to {@code agent} (the one it holds), or {@code agents}. */
    private static String grantOf(PolicyDocument doc, String agent) {
        List<PolicyDocument.GrantSpec> grants = doc.grants() == null ? List.of() : doc.grants();
        for (int i = grants.size() - 1; i >= 0; i--) {
            if (grants.get(i).subject().equals(agent)) {
                return "grants[" + i + "]";
            }
        }
        return "agents";
    }

    private static Moat start(MoatPolicy policy, Clock clock, java.time.Duration tickEvery,
                              java.util.function.Function<String, String> env,
                              List<dev.moat.guard.DecisionObserver> observers) {
        return start(policy, clock, tickEvery, env, observers, false);
    }

    /**
     * Checks that every key and identity file the policy's agents name exists, without reading them
     * (what {@link #start(MoatPolicy)} checks first): for a caller that starts Moat in the background
     * and wants the commonest mistake reported at once. Errors name the field by {@code file:line:column}.
     */
    public static void requireAgentFiles(MoatPolicy policy) {
        List<PolicyDocument.Agent> agents = policy.agents();
        for (int i = 0; i < agents.size(); i++) {
            PolicyDocument.Agent a = agents.get(i);
            if (a.key() != null) {
                keyFile(policy, i, a);
            } else {
                identityFile(policy, i, a);
            }
        }
    }

    private static Path keyFile(MoatPolicy policy, int i, PolicyDocument.Agent a) {
        Path file = policy.resolve(a.key());
        if (!Files.exists(file)) {
            throw policy.error("agents[" + i + "].key", "key file " + file
                    + " does not exist (make it with: moat identity generate --name " + a.name() + ")");
        }
        return file;
    }

    private static Path identityFile(MoatPolicy policy, int i, PolicyDocument.Agent a) {
        Path file = policy.resolve(a.publicKey());
        if (!Files.exists(file)) {
            throw policy.error("agents[" + i + "].public", "identity file " + file + " does not exist");
        }
        return file;
    }

    /** The private key of agent {@code i}, its file checked to exist and to belong to that agent. */
    private static AgentKeypair privateKey(MoatPolicy policy, int i, PolicyDocument.Agent a) {
        Path file = keyFile(policy, i, a);
        String field = "agents[" + i + "].key";
        AgentKeypair kp;
        try {
            kp = KeyFiles.loadPrivate(file);
        } catch (PolicyException e) {
            throw e;
        } catch (dev.moat.MoatException e) {
            throw policy.error(field, e.getMessage());
        }
        if (!kp.name().equals(a.name())) {
            throw policy.error(field, "agent '" + a.name() + "': key file belongs to '" + kp.name() + "'");
        }
        return kp;
    }

    /** The public identity of agent {@code i}, its file checked to exist and to belong to that agent. */
    private static dev.moat.identity.AgentIdentity publicIdentity(MoatPolicy policy, int i, PolicyDocument.Agent a) {
        Path file = identityFile(policy, i, a);
        String field = "agents[" + i + "].public";
        dev.moat.identity.AgentIdentity identity;
        try {
            identity = KeyFiles.loadPublic(file);
        } catch (dev.moat.MoatException e) {
            throw policy.error(field, e.getMessage());
        }
        if (!identity.name().equals(a.name())) {
            throw policy.error(field, "agent '" + a.name() + "': identity file belongs to '" + identity.name() + "'");
        }
        return identity;
    }

    private static Moat start(MoatPolicy policy, Clock clock, java.time.Duration tickEvery,
                              java.util.function.Function<String, String> env,
                              List<dev.moat.guard.DecisionObserver> observers, boolean dry) {
        PolicyDocument doc = policy.document();
        for (String w : policy.warnings()) {
            org.slf4j.LoggerFactory.getLogger(PolicyRuntime.class).warn("{}: {}", policy.file(), w);
        }
        Moat.Builder b = Moat.builder().clock(clock).policy(policy.binding()).routerLimits(PolicyValues.routerLimits(doc.router()));
        Map<String, AgentKeypair> keys = new HashMap<>();
        Map<String, dev.moat.identity.AgentId> ids = new HashMap<>();
        List<PolicyDocument.Agent> agents = policy.agents();
        for (int i = 0; i < agents.size(); i++) {
            PolicyDocument.Agent a = agents.get(i);
            if (a.key() != null) {
                AgentKeypair kp = privateKey(policy, i, a);
                keys.put(a.name(), kp);
                ids.put(a.name(), kp.id());
                b.agent(kp);
            } else {
                var identity = publicIdentity(policy, i, a);
                ids.put(a.name(), identity.id());
                b.identity(identity);
            }
        }
        for (String r : doc.trustedRoots()) {
            b.trustRoot(r);
        }
        List<GrantPlan.Step> steps = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        java.util.Set<dev.moat.identity.AgentId> shadowed = new HashSet<>();
        if (doc.grants() != null) {
            for (int i = 0; i < doc.grants().size(); i++) {
                PolicyDocument.GrantSpec g = doc.grants().get(i);
                if (PolicyValues.auditOnly(g.mode())) {
                    shadowed.add(ids.get(g.subject()));
                }
                steps.add(new GrantPlan.Step(g.issuer(), g.subject(), PolicyValues.scopes(g.allow()), PolicyValues.scopes(g.deny()),
                        PolicyValues.limits(g.limits()), Durations.parse(g.validFor()),
                        g.renewBefore() == null ? null : Durations.parse(g.renewBefore())));
                String field = "grants[" + i + "]";
                labels.add(policy.positions().of(field).map(at -> policy.file() + ":" + at + ": " + field)
                        .orElse(policy.file() + ": " + field));
            }
        }
        // audit-only: the whole policy, the Java agent's section, the grants that say so (their
        // subjects' calls) or the tools that say so (calls on their resources)
        if (PolicyValues.auditOnly(doc.mode()) || (doc.agent() != null && !doc.agent().enforcing())) {
            b.shadow(dev.moat.pep.ShadowMode.ALL);
        } else {
            b.shadow(dev.moat.pep.ShadowMode.senders(shadowed));
            List<dev.moat.token.ResourcePattern> shadowedTools = new ArrayList<>();
            if (doc.tools() != null) {
                doc.tools().forEach((key, t) -> {
                    if (t != null && PolicyValues.auditOnly(t.mode())) {
                        shadowedTools.add(dev.moat.token.ResourcePattern.parse(t.resourcePattern(key)));
                    }
                });
            }
            b.shadow(dev.moat.pep.ShadowMode.resources(shadowedTools));
        }
        observers.forEach(b::observer);
        dev.moat.guard.ObserverProvider.discover().forEach(b::observer);
        if (doc.denials() != null && Boolean.TRUE.equals(doc.denials().detailed())) {
            b.detailedDenials(true);
        }
        b.grantPlan(new GrantPlan(steps, new HashSet<>(doc.trustedRoots()), policy.file().toString(), labels));
        b.toolRules(dev.moat.tool.ToolRules.fromPolicy(policy));
        if (doc.sandbox() != null) {
            b.sandbox(SandboxProvider.require(policy.file() + ": the policy's sandbox: section").create(doc.sandbox()));
        }
        if (doc.monitor() != null) {
            b.monitor(doc.monitor().toRules(), doc.monitor().kindResolver());
        }
        Path home = policy.resolve(doc.home() == null ? ".moat" : doc.home());
        b.tokenFiles(home.resolve("tokens"));
        if (tickEvery != null) {
            b.renewalTicker(tickEvery);
        }
        if (dry) { // in memory: the home's trust store and revocation list are read, nothing is written
            AuditLog memory = AuditLog.builder(new dev.moat.audit.InMemoryAuditStore(), AgentKeypair.generate("moat-audit"))
                    .clock(clock).open();
            b.auditLog(memory).auditArguments(PolicyValues.argumentsMode(doc.audit()))
                    .sequenceStore(new dev.moat.replay.InMemorySequenceStore());
            if (doc.secrets() != null && !doc.secrets().isEmpty()) {
                b.secrets(secretProxy(policy, ids, clock, memory));
            }
            if (Files.isDirectory(home)) {
                b.home(home);
            }
            return b.build();
        }
        PolicyDocument.Audit audit = doc.audit();
        Path auditPath = policy.resolve(audit != null && audit.path() != null ? audit.path() : home.resolve("audit.jsonl").toString());
        Path auditKeyPath = policy.resolve(audit != null && audit.key() != null ? audit.key() : home.resolve("keys/moat-audit.key").toString());
        Path replayDir = policy.resolve(doc.replay() != null && doc.replay().path() != null ? doc.replay().path() : home.resolve("replay").toString());
        if (audit == null || audit.path() == null || audit.key() == null || doc.replay() == null || doc.replay().path() == null) {
            HomeFolder.prepare(home); // the home holds what the policy does not place elsewhere: refuse an unsafe one
        }
        AgentKeypair auditKey = loadOrCreate(auditKeyPath, "moat-audit");
        // A shared store (PostgreSQL for fleets) replaces the home's replay state and audit file.
        Stores shared = doc.store() == null ? null : StoreProviders.open(doc.store(), env);
        AuditStore store = shared != null ? shared.auditStore()
                : JsonlAuditStore.builder(auditPath).durability(PolicyValues.durability(audit)).build();
        AuditLog.Builder logBuilder = AuditLog.builder(store, auditKey).clock(clock);
        if (audit != null && audit.checkpointEvery() != null) {
            logBuilder.checkpointEvery(audit.checkpointEvery());
        }
        AuditLog auditLog = logBuilder.open();
        dev.moat.replay.SequenceStore replay = null;
        try { // a failed start releases the audit log (and its writer lock) and the replay store
            b.auditLog(auditLog).auditArguments(PolicyValues.argumentsMode(audit));
            if (doc.secrets() != null && !doc.secrets().isEmpty()) {
                b.secrets(secretProxy(policy, ids, clock, auditLog));
            }
            b.home(home); // the CLI's trust store and revocation list, shared and live
            if (shared != null) {
                b.stores(shared);
                if (doc.store().audience() != null) { // one fleet, one audience: any replica accepts its messages once
                    b.audience(doc.store().audience());
                }
            } else {
                replay = FileSequenceStore.open(replayDir);
                b.sequenceStore(replay);
            }
            return b.build();
        } catch (RuntimeException | Error e) {
            closeQuietly(replay, e);
            closeQuietly(auditLog, e);
            closeQuietly(shared, e);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c, Throwable failure) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    private static SecretProxy secretProxy(MoatPolicy policy, Map<String, dev.moat.identity.AgentId> ids, Clock clock, AuditLog audit) {
        SecretProxy proxy = SecretProxy.builder().clock(clock).listener(SecretAudit.listener(audit)).build();
        Path base = policy.file().toAbsolutePath().getParent();
        for (SecretSpec s : policy.document().secrets()) {
            proxy.declare(s.toDeclaration(base));
            for (String agent : s.agentsOrEmpty()) {
                proxy.grant(ids.get(agent), SecretName.of(s.name()));
            }
        }
        return proxy;
    }

    static AgentKeypair loadOrCreate(Path keyFile, String name) {
        if (Files.exists(keyFile)) {
            return KeyFiles.loadPrivate(keyFile);
        }
        AgentKeypair kp = AgentKeypair.generate(name);
        KeyFiles.savePrivate(kp, keyFile);
        return kp;
    }
}
