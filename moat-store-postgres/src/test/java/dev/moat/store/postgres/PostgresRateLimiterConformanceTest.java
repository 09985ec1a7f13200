package dev.moat.store.postgres;

import dev.moat.relay.SenderRateLimiter;
import dev.moat.relay.SenderRateLimiterConformance;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's rate-limit contract, on PostgreSQL: exact under concurrent callers. */
class PostgresRateLimiterConformanceTest extends SenderRateLimiterConformance {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private PostgresStores stores;

    @Override
    protected SenderRateLimiter limiter(int limit, Duration window, Clock clock) {
        stores = PostgresStores.open(PG.freshDatabase().config("r1").poolSize(6).build());
        return stores.rateLimiter(limit, window, clock);
    }

    @AfterEach
    void close() {
        if (stores != null) {
            stores.close();
        }
    }
}
