package dev.moat;

import dev.moat.audit.AuditLog;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.guard.SandboxProvider;
import dev.moat.identity.AgentKeypair;
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
        return start(policy, Clock.systemUTC(), TICK);
    }

    /**
     * With {@code clock} and no background ticker: renewal is checked at every call, and by
     * {@link Capabilities#tick()} (tests move their clock and call it).
     */
    public static Moat start(MoatPolicy policy, Clock clock) {
        return start(policy, clock, null);
    }

    private static Moat start(MoatPolicy policy, Clock clock, java.time.Duration tickEvery) {
        PolicyDocument doc = policy.document();
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
        if (doc.grants() != null) {
            for (PolicyDocument.GrantSpec g : doc.grants()) {
                steps.add(new GrantPlan.Step(g.issuer(), g.subject(), PolicyValues.scopes(g.allow()), PolicyValues.scopes(g.deny()),
                        PolicyValues.limits(g.limits()), Durations.parse(g.validFor()),
                        g.renewBefore() == null ? null : Durations.parse(g.renewBefore())));
            }
        }
        b.grantPlan(new GrantPlan(steps, new HashSet<>(doc.trustedRoots()), policy.file().toString()));
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
        AgentKeypair auditKey = loadOrCreate(auditKeyPath, "moat-audit");
        JsonlAuditStore store = JsonlAuditStore.builder(auditPath).durability(PolicyValues.durability(audit)).build();
        AuditLog.Builder logBuilder = AuditLog.builder(store, auditKey).clock(clock);
        if (audit != null && audit.checkpointEvery() != null) {
            logBuilder.checkpointEvery(audit.checkpointEvery());
        }
        AuditLog auditLog = logBuilder.open();
        b.auditLog(auditLog);
        if (doc.secrets() != null && !doc.secrets().isEmpty()) {
            b.secrets(secretProxy(policy, ids, clock, auditLog));
        }
        FileSequenceStore sequences = FileSequenceStore.open(replayDir);
        b.sequenceStore(sequences);
        try {
            return b.build();
        } catch (RuntimeException e) { // nothing started: release the stores (and their locks)
            try {
                auditLog.close();
            } finally {
                sequences.close();
            }
            throw e;
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
