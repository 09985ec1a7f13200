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

    private static Moat start(MoatPolicy policy, Clock clock, java.time.Duration tickEvery,
                              java.util.function.Function<String, String> env,
                              List<dev.moat.guard.DecisionObserver> observers) {
        PolicyDocument doc = policy.document();
        for (String w : policy.warnings()) {
            org.slf4j.LoggerFactory.getLogger(PolicyRuntime.class).warn("{}: {}", policy.file(), w);
        }
        Moat.Builder b = Moat.builder().clock(clock).policy(policy.binding()).routerLimits(PolicyValues.routerLimits(doc.router()));
        Map<String, AgentKeypair> keys = new HashMap<>();
        for (PolicyDocument.Agent a : policy.agents()) {
            if (a.key() != null) {
                AgentKeypair kp = KeyFiles.loadPrivate(policy.resolve(a.key()));
                if (!kp.name().equals(a.name())) {
                    throw new PolicyException(policy.file() + ": agent '" + a.name() + "': key file belongs to '" + kp.name() + "'");
                }
                keys.put(a.name(), kp);
                b.agent(kp);
            } else {
                var identity = KeyFiles.loadPublic(policy.resolve(a.publicKey()));
                if (!identity.name().equals(a.name())) {
                    throw new PolicyException(policy.file() + ": agent '" + a.name() + "': identity file belongs to '" + identity.name() + "'");
                }
                b.identity(identity);
            }
        }
        for (String r : doc.trustedRoots()) {
            b.trustRoot(r);
        }
        Map<String, dev.moat.identity.AgentId> ids = new HashMap<>();
        for (PolicyDocument.Agent a : policy.agents()) {
            ids.put(a.name(), keys.containsKey(a.name()) ? keys.get(a.name()).id()
                    : KeyFiles.loadPublic(policy.resolve(a.publicKey())).id());
        }
        List<GrantPlan.Step> steps = new ArrayList<>();
        java.util.Set<dev.moat.identity.AgentId> shadowed = new HashSet<>();
        if (doc.grants() != null) {
            for (PolicyDocument.GrantSpec g : doc.grants()) {
                if (PolicyValues.auditOnly(g.mode())) {
                    shadowed.add(ids.get(g.subject()));
                }
                steps.add(new GrantPlan.Step(g.issuer(), g.subject(), PolicyValues.scopes(g.allow()), PolicyValues.scopes(g.deny()),
                        PolicyValues.limits(g.limits()), Durations.parse(g.validFor()),
                        g.renewBefore() == null ? null : Durations.parse(g.renewBefore())));
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
        b.grantPlan(new GrantPlan(steps, new HashSet<>(doc.trustedRoots()), policy.file().toString()));
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
