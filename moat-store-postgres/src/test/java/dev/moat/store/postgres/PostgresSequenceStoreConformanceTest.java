package dev.moat.store.postgres;

import dev.moat.replay.SequenceStore;
import dev.moat.replay.SequenceStoreConformance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's replay-store contract, on PostgreSQL; {@code another} is a second replica's pool on the same database. */
class PostgresSequenceStoreConformanceTest extends SequenceStoreConformance {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private final List<PostgresStores> pools = new ArrayList<>();
    private PgServer.Db db;

    @Override
    protected SequenceStore fresh() {
        db = PG.freshDatabase();
        return open("r1");
    }

    @Override
    protected SequenceStore another(SequenceStore previous) {
        return open("r2");
    }

    private SequenceStore open(String replica) {
        PostgresStores s = PostgresStores.open(db.config(replica).build());
        pools.add(s);
        return s.sequenceStore();
    }

    @Override
    protected boolean sharedByInstances() {
        return true;
    }

    @AfterEach
    void closePools() {
        pools.forEach(PostgresStores::close);
    }
}
