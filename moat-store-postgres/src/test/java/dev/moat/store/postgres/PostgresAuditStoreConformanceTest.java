package dev.moat.store.postgres;

import dev.moat.audit.AuditStore;
import dev.moat.audit.AuditStoreConformance;
import dev.moat.audit.AuditVerification;
import dev.moat.identity.AgentKeypair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's audit-store contract, on PostgreSQL: one replica's chain, verified by the fleet verifier. */
class PostgresAuditStoreConformanceTest extends AuditStoreConformance {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private final List<PostgresStores> pools = new ArrayList<>();
    private PgServer.Db db;

    @BeforeEach
    void database() {
        db = PG.freshDatabase();
    }

    @Override
    protected AuditStore store() {
        PostgresStores s = PostgresStores.open(db.config("replica-a").build());
        pools.add(s);
        return s.auditStore();
    }

    @Override
    protected AuditVerification verifyStored(AgentKeypair key) {
        PostgresStores s = PostgresStores.open(db.config("verifier").build());
        pools.add(s);
        FleetVerification v = FleetAuditVerifier.verify(s.database().dataSource(), Map.of("replica-a", key.publicKey()), false);
        return v.replicas().get("replica-a");
    }

    @AfterEach
    void closePools() {
        pools.forEach(PostgresStores::close);
    }
}
