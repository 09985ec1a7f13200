package dev.moat.store.postgres;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.crypto.Ed25519PrivateKey;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.store.Stores;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The identities every replica of the test fleet shares (derived from fixed names, so child JVMs
 * rebuild the same keys): a trusted root, the agent {@code worker} and this replica's audit key.
 */
public final class Fleet {
    static final String RESOURCE = "tool://analyze";
    /** The policy every replica enforces (messages are bound to it). */
    static final dev.moat.policy.PolicyBinding POLICY = dev.moat.policy.PolicyBinding.of("fleet", "fleet test policy".getBytes(StandardCharsets.UTF_8));

    private Fleet() {}

    /** The fleet's one PEP identity: replicas behind one service share it, and share replay state. */
    static final String AUDIENCE = "fleet-test-service";

    public static AgentKeypair key(String name) {
        byte[] seed = dev.moat.crypto.Sha256.hash(("moat-fleet-test/" + name).getBytes(StandardCharsets.UTF_8));
        return AgentKeypair.of(name, Ed25519PrivateKey.fromSeed(seed));
    }

    /** Envelopes from the agent {@code shared}, signed outside any replica, with sequence numbers 1..n. */
    static java.util.List<byte[]> sharedEnvelopes(int n, dev.moat.policy.PolicyBinding policy) {
        AgentKeypair root = key("root");
        AgentKeypair shared = key("shared");
        dev.moat.message.MessageSigner signer = new dev.moat.message.MessageSigner(shared, chain(root, shared), AUDIENCE);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(signer.signWithSequence(i, dev.moat.guard.Guard.RECIPIENT, RESOURCE, "read", new byte[0], policy).encode());
        }
        return out;
    }

    static TokenChain chain(AgentKeypair root, AgentKeypair agent) {
        return TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(agent.id()).allow(RESOURCE, "read").validFor(Duration.ofMinutes(30)).build());
    }

    /** A Moat whose replay state, audit chain and rate limits live in {@code stores}. */
    static Moat moat(Stores stores, String replica, String agentName, int rateLimit) {
        AgentKeypair root = key("root");
        AgentKeypair agent = key(agentName);
        AuditLog audit = AuditLog.builder(stores.auditStore(), key("audit-" + replica)).checkpointEvery(100).open();
        Moat.Builder b = Moat.builder().agent(root).agent(agent).identity(key("shared").identity());
        for (String peer : java.util.List.of("r1", "r2", "r3")) { // the other replicas' agents are known here too
            if (!("worker-" + peer).equals(agentName)) {
                b.identity(key("worker-" + peer).identity());
            }
        }
        return b.trustRoot("root").capability(agentName, chain(root, agent))
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(rateLimit, Duration.ofMinutes(1)))
                .policy(POLICY).stores(stores).auditLog(audit).audience(AUDIENCE).build();
    }
}
