package dev.moat.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.identity.AgentId;
import dev.moat.relay.SenderRateLimiter;
import dev.moat.replay.SequenceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replay check and the rate window in one round trip, as the PEP calls them: advance, then tryAcquire. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FusedRateLimitTest {
    @RegisterExtension
    static final PgServer PG = new PgServer();

    private static int charged(PgServer.Db db, AgentId sender) throws Exception {
        String n = db.psql("SELECT coalesce(max(cardinality(times)), 0) FROM moat_rate_windows WHERE sender = '" + sender.value() + "'");
        return Integer.parseInt(n);
    }

    @Test
    void anAcceptedNumberChargesTheWindowOnceAndAReplayNever() throws Exception {
        PgServer.Db db = PG.freshDatabase();
        AgentId a = Fleet.key("a").id();
        AgentId b = Fleet.key("b").id();
        try (PostgresStores stores = PostgresStores.open(db.config("r1").build())) {
            SenderRateLimiter limiter = stores.rateLimiter(2, Duration.ofMinutes(1), Clock.systemUTC());
            SequenceStore seq = stores.sequenceStore();
            assertThat(seq.advance(a, 1)).isTrue();
            assertThat(charged(db, a)).as("charged with the sequence number").isEqualTo(1);
            assertThat(limiter.tryAcquire(a)).isTrue();
            assertThat(charged(db, a)).as("tryAcquire used the verdict, no second charge").isEqualTo(1);
            assertThat(seq.advance(a, 1)).isFalse();
            assertThat(charged(db, a)).as("a replay is not charged").isEqualTo(1);
            assertThat(seq.advance(a, 2)).isTrue();
            assertThat(limiter.tryAcquire(a)).isTrue();
            assertThat(seq.advance(a, 3)).isTrue();
            assertThat(limiter.tryAcquire(a)).as("third call in the window, limit 2").isFalse();
            // A verdict is only for its sender: another sender's tryAcquire charges its own window.
            assertThat(seq.advance(a, 4)).isTrue();
            assertThat(limiter.tryAcquire(b)).isTrue();
            assertThat(charged(db, b)).isEqualTo(1);
            assertThat(limiter.tryAcquire(a)).as("the stale verdict was dropped; a real check runs").isFalse();
        }
    }
}
