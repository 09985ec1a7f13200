package dev.moat.bench;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.guard.GuardedCall;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.FileSequenceStore;
import dev.moat.store.postgres.PostgresConfig;
import dev.moat.store.postgres.PostgresStores;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guarded calls per second for a fleet of {@code replicas} Moat instances in one JVM, 4 caller
 * threads (each its own agent; thread t uses replica t mod replicas), full path: sign, PEP, audit
 * of the decision and of the outcome. {@code store=file}: each replica its own home (durable
 * {@link FileSequenceStore}, JSONL audit with an fsync before each acknowledgement, group-committed),
 * so replicas do NOT share replay state. {@code store=postgres}: every replica on one database
 * (shared replay state, one audit chain per replica, shared rate windows); needs a server from
 * {@code MOAT_PG_URL}, {@code MOAT_PG_USER}, {@code PGPASSWORD}
 * ({@code eval "$(moat-store-postgres/scripts/pg-test-server.sh start)"}). At the end of a
 * postgres trial it prints the database transactions per guarded call (every statement is one
 * round trip and one transaction).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@Threads(4)
@State(Scope.Benchmark)
public class FleetBenchmark {
    private static final int THREADS = 4;

    @Param({"file", "postgres"})
    public String store;

    @Param({"1", "3"})
    public int replicas;

    private Path dir;
    private Moat[] moats;
    private String dbUrl;
    private String database;
    private long transactionsBefore;
    private final LongAdder calls = new LongAdder();
    private final AtomicInteger threadIds = new AtomicInteger();

    /** One caller thread: its agent and replica. */
    @State(Scope.Thread)
    public static class Caller {
        int id = -1;
        long k;
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("moat-fleet-bench");
        AgentKeypair root = AgentKeypair.generate("coordinator");
        AgentKeypair[] workers = new AgentKeypair[THREADS];
        TokenChain[] chains = new TokenChain[THREADS];
        TokenChain rootChain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(2)).build());
        for (int t = 0; t < THREADS; t++) {
            workers[t] = AgentKeypair.generate("worker-" + t);
            chains[t] = rootChain.delegate(root, Grant.to(workers[t].id()).allow("tool://analyze", "read").validFor(Duration.ofHours(1)).build());
        }
        if (store.equals("postgres")) {
            createDatabase();
        }
        moats = new Moat[replicas];
        for (int r = 0; r < replicas; r++) {
            Moat.Builder b = Moat.builder().agent(root).trustRoot("coordinator")
                    .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)));
            for (int t = 0; t < THREADS; t++) {
                b.agent(workers[t]).capability("worker-" + t, chains[t]);
            }
            AgentKeypair auditKey = AgentKeypair.generate("moat-audit-" + r);
            if (store.equals("postgres")) {
                PostgresStores s = PostgresStores.open(PostgresConfig.builder(dbUrl).user(System.getenv("MOAT_PG_USER"))
                        .password(System.getenv("PGPASSWORD")).replica("bench-" + r).poolSize(THREADS + 1).build());
                b.stores(s).auditLog(AuditLog.builder(s.auditStore(), auditKey).open());
            } else {
                Path home = dir.resolve("replica-" + r);
                b.sequenceStore(FileSequenceStore.open(home.resolve("replay")))
                        .auditLog(AuditLog.builder(JsonlAuditStore.builder(home.resolve("audit.jsonl")).durability(Durability.everyEntry()).build(),
                                auditKey).open());
            }
            moats[r] = b.build();
        }
        if (store.equals("postgres")) {
            transactionsBefore = transactions();
        }
    }

    private void createDatabase() throws Exception {
        String url = System.getenv("MOAT_PG_URL");
        if (url == null) {
            throw new IllegalStateException("store=postgres needs MOAT_PG_URL, MOAT_PG_USER and PGPASSWORD "
                    + "(eval \"$(moat-store-postgres/scripts/pg-test-server.sh start)\")");
        }
        database = "moat_bench_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, System.getenv("MOAT_PG_USER"), System.getenv("PGPASSWORD"));
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        dbUrl = url.substring(0, url.lastIndexOf('/') + 1) + database;
    }

    private long transactions() throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl, System.getenv("MOAT_PG_USER"), System.getenv("PGPASSWORD"));
             Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            Thread.sleep(1500); // other sessions flush their statistics at most once a second
            try (ResultSet rs = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (Moat m : moats) {
            m.close();
        }
        if (store.equals("postgres")) {
            long tx = transactions() - transactionsBefore;
            System.out.printf("%n[postgres, %d replicas] %d guarded calls, %d database transactions: %.2f round trips per call%n",
                    replicas, calls.sum(), tx, (double) tx / calls.sum());
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Object guardedCall(Caller c) {
        if (c.id < 0) {
            c.id = threadIds.getAndIncrement() % THREADS;
        }
        ToolCall call = ToolCall.builder("worker-" + c.id, "tool://analyze", "read").arguments("{\"k\":" + (c.k++) + "}").build();
        GuardedCall<String> r = moats[c.id % replicas].guard().call(call, () -> "ok");
        if (!(r instanceof GuardedCall.Completed)) {
            throw new IllegalStateException("benchmark call must complete: " + r);
        }
        calls.increment();
        return r;
    }
}
