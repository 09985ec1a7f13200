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
final class Fleet {
    static final String RESOURCE = "tool://analyze";

    private Fleet() {}

    static AgentKeypair key(String name) {
        byte[] seed = dev.moat.crypto.Sha256.hash(("moat-fleet-test/" + name).getBytes(StandardCharsets.UTF_8));
        return AgentKeypair.of(name, Ed25519PrivateKey.fromSeed(seed));
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
        return Moat.builder().agent(root).agent(agent).trustRoot("root").capability(agentName, chain(root, agent))
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(rateLimit, Duration.ofMinutes(1)))
                .stores(stores).auditLog(audit).build();
    }
}
