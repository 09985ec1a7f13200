package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditEntry;
import dev.moat.audit.AuditEvent;
import dev.moat.check.ReasonCode;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.store.SharedTrust;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Trusted roots and revocations shared by two replicas (two Moat instances, one database): a change
 * made through one replica's API or by hand with {@code psql} is enforced by the other within a
 * second; without the database the replica denies with the reason and resumes when it is back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedTrustTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static GuardedCall<String> call(Moat moat, String agent) {
        ToolCall c = ToolCall.builder(agent, Fleet.RESOURCE, "read").arguments("{}").build();
        return moat.guard().call(c, () -> "ran");
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting until " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static ReasonCode code(GuardedCall<String> r) {
        return r instanceof GuardedCall.Denied<String> d ? d.decision().code() : null;
    }

    @Test
    void aRevocationThroughOneReplicaIsEnforcedByTheOtherWithinASecondAndAudited() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        try (Moat r1 = Fleet.moat(PostgresStores.open(db.config("r1").build()), "r1", "worker-r1", 1_000_000);
             Moat r2 = Fleet.moat(PostgresStores.open(db.config("r2").build()), "r2", "worker-r2", 1_000_000)) {
            assertThat(call(r2, "worker-r2")).isInstanceOf(GuardedCall.Completed.class);
            SharedTrust t1 = r1.sharedTrust().orElseThrow();
            assertThat(t1.revokeAgent(Fleet.key("worker-r2").id())).isTrue();
            assertThat(t1.revokeAgent(Fleet.key("worker-r2").id())).as("already revoked").isFalse();
            assertThat(t1.isAgentRevoked(Fleet.key("worker-r2").id())).as("applied where it was made before returning").isTrue();
            // The guarantee: a second after the commit the other replica denies (it either read the
            // revocation or has not heard from the database for a second and denies everything).
            Thread.sleep(PostgresTrust.MAX_STALENESS.toMillis());
            assertThat(call(r2, "worker-r2")).isInstanceOf(GuardedCall.Denied.class);
            eventually(() -> code(call(r2, "worker-r2")) == ReasonCode.REVOKED, "r2 denies worker-r2 as revoked");
            assertThat(call(r1, "worker-r1")).as("other agents are unaffected").isInstanceOf(GuardedCall.Completed.class);
            assertThat(call(r2, "worker-r1")).isInstanceOf(GuardedCall.Denied.class); // r2 holds no key for worker-r1
        }
        List<String> r2Events = revocationEvents(db, "r2");
        assertThat(r2Events).contains("loaded", "revoked:" + Fleet.key("worker-r2").id().value());
    }

    @Test
    void rowsChangedByHandWithPsqlAreNotifiedToo_revocationsAndRoots() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        AgentKeypair other = Fleet.key("other-root");
        AgentKeypair agent = Fleet.key("worker-r1");
        try (PostgresStores stores = PostgresStores.open(db.config("r1").build());
             Moat r1 = Fleet.moat(stores, "r1", "worker-r1", 1_000_000)) {
            assertThat(call(r1, "worker-r1")).isInstanceOf(GuardedCall.Completed.class);
            String leaf = tokenId(r1);
            db.psql("INSERT INTO moat_revocations (kind, value) VALUES ('token', '" + leaf + "')");
            eventually(() -> code(call(r1, "worker-r1")) == ReasonCode.REVOKED, "the token revoked with psql is enforced");
            db.psql("DELETE FROM moat_revocations");
            eventually(() -> call(r1, "worker-r1") instanceof GuardedCall.Completed, "the restored token is accepted again");

            // A chain from a root the policy does not trust, trusted fleet-wide in the table.
            TokenChain foreign = TokenChain.issue(other, Grant.to(other.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                    .delegate(other, Grant.to(agent.id()).allow(Fleet.RESOURCE, "read").validFor(Duration.ofMinutes(30)).build());
            assertThat(r1.registry().isTrustedRoot(other.id())).isFalse();
            db.psql("INSERT INTO moat_trusted_roots (id, name) VALUES ('" + other.id().value() + "', 'other-root')");
            eventually(() -> r1.registry().isTrustedRoot(other.id()), "the root trusted with psql is trusted");
            dev.moat.token.TokenVerifier verifier = dev.moat.token.TokenVerifier.builder()
                    .trustRoots(r1.registry()::isTrustedRoot).revocation(r1.registry()).build();
            assertThat(verifier.verify(foreign).isOk()).as("a chain from the fleet-trusted root verifies").isTrue();
            assertThat(r1.sharedTrust().orElseThrow().distrustRoot(other.id())).isTrue();
            assertThat(r1.registry().isTrustedRoot(other.id())).as("applied before returning").isFalse();
            assertThat(verifier.verify(foreign).isOk()).isFalse();
            assertThat(r1.registry().isTrustedRoot(Fleet.key("root").id())).as("the policy's root stays").isTrue();
            assertThat(call(r1, "worker-r1")).isInstanceOf(GuardedCall.Completed.class);
        }
    }

    /**
     * A change made through this instance is in force in its listeners (the registry's roots) before
     * the call returns, also when the watcher swapped the same state in first and is still on its way
     * to them: here it is held up in a slow listener after a change made with psql.
     */
    @Test
    void aChangeIsInForceBeforeReturningWhileTheWatcherIsStillNotifying() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        AgentKeypair other = Fleet.key("other-root");
        Thread caller = Thread.currentThread();
        AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));
        CountDownLatch watcherHeld = new CountDownLatch(1);
        try (PostgresStores stores = PostgresStores.open(db.config("r1").build())) {
            SharedTrust trust = stores.sharedTrust(e -> { }).orElseThrow();
            Set<AgentId> seen = ConcurrentHashMap.newKeySet();
            trust.onChange(() -> { // on the watcher's thread: held while the gate is closed
                CountDownLatch g = gate.get();
                if (Thread.currentThread() != caller && g.getCount() > 0) {
                    watcherHeld.countDown();
                    try {
                        g.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            trust.onChange(() -> { // what the registry's binding does: follow the roots in force
                seen.clear();
                seen.addAll(trust.trustedRoots());
            });
            try {
                assertThat(trust.trustRoot(other.id(), "other-root")).isTrue();
                assertThat(seen).as("in force before returning").contains(other.id());
                Thread.sleep(PostgresTrust.MAX_STALENESS.toMillis() / 2); // the watcher has read that epoch too
                gate.set(new CountDownLatch(1));
                db.psql("DELETE FROM moat_trusted_roots WHERE id = '" + other.id().value() + "'");
                assertThat(watcherHeld.await(20, TimeUnit.SECONDS)).as("the watcher heard the psql change").isTrue();
                assertThat(trust.trustedRoots()).as("swapped in by the watcher").doesNotContain(other.id());
                assertThat(seen).as("the watcher has not reached the binding's listener").contains(other.id());
                assertThat(trust.distrustRoot(other.id())).as("already gone").isFalse();
                assertThat(seen).as("what the database holds is in force here before returning").doesNotContain(other.id());
            } finally {
                gate.get().countDown();
            }
        }
    }

    @Test
    void withoutTheDatabaseCallsAreDeniedWithTheReasonAndServiceResumes() throws Exception {
        try (PgServer.Cluster cluster = PG.pausableCluster()) {
            PgServer.Db db = cluster.freshDatabase();
            try (Moat r1 = Fleet.moat(PostgresStores.open(db.config("r1").build()), "r1", "worker-r1", 1_000_000)) {
                SharedTrust trust = r1.sharedTrust().orElseThrow();
                assertThat(call(r1, "worker-r1")).isInstanceOf(GuardedCall.Completed.class);
                cluster.pause();
                try {
                    eventually(() -> trust.unavailable() != null, "the replica notices the database is gone");
                    assertThat(trust.unavailable()).contains("trusted roots and revocations on PostgreSQL not confirmed for");
                    assertThat(trust.isAgentRevoked(Fleet.key("worker-r1").id())).as("everything counts as revoked").isTrue();
                    // The denial itself cannot be committed either, so the caller is told that; the
                    // denial with its reason is queued in the chain and written when the database is back.
                    assertThat(call(r1, "worker-r1")).isInstanceOfSatisfying(GuardedCall.Denied.class, d -> {
                        assertThat(d.decision().code()).isEqualTo(ReasonCode.INTERNAL);
                        assertThat(d.decision().failure().detail()).containsPattern("(revocations|audit store on PostgreSQL) unavailable");
                    });
                } finally {
                    cluster.resume();
                }
                eventually(() -> trust.unavailable() == null, "the replica reconnects");
                eventually(() -> call(r1, "worker-r1") instanceof GuardedCall.Completed, "service resumes");
            }
            assertThat(revocationEvents(db, "r1")).contains("unreadable", "recovered");
            List<String> reasons = new ArrayList<>();
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT line FROM moat_audit_entries WHERE replica = 'r1' ORDER BY idx")) {
                while (rs.next()) {
                    if (AuditEntry.fromJsonLine(rs.getString(1)).event() instanceof AuditEvent.Decision d && !d.allowed()) {
                        reasons.add(d.detail());
                    }
                }
            }
            assertThat(reasons).anyMatch(r -> r.startsWith("revocations unavailable, failing closed: trusted roots and revocations on PostgreSQL"));
        }
    }

    private static String tokenId(Moat moat) {
        return moat.capabilities().current("worker-r1").orElseThrow().chain().leafClaims().orThrow().id();
    }

    /** The revocation events in a replica's chain: {@code change} or {@code change:agent-or-token}. */
    private static List<String> revocationEvents(PgServer.Db db, String replica) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT line FROM moat_audit_entries WHERE replica = '" + replica + "' ORDER BY idx")) {
            while (rs.next()) {
                if (AuditEntry.fromJsonLine(rs.getString(1)).event() instanceof AuditEvent.Revocation r) {
                    String who = r.agent() != null ? r.agent() : r.tokenId();
                    out.add(r.change().wire() + (who == null ? "" : ":" + who));
                }
            }
        }
        return out;
    }
}
