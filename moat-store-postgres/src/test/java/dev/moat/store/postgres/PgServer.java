package dev.moat.store.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests. With {@code MOAT_PG_URL} (plus {@code MOAT_PG_USER},
 * {@code PGPASSWORD}) set, that server is used (its role needs CREATEDB); otherwise a throwaway
 * cluster is started once per test JVM by {@code scripts/pg-test-server.sh start} (initdb into a
 * temporary directory as the {@code postgres} user, pg_ctl on a free loopback port) and stopped and
 * deleted ({@code pg_ctl stop -m fast}) when the run ends. Each {@link #freshDatabase()} is a new,
 * empty database. Register with {@code @RegisterExtension static final PgServer PG = new PgServer();}.
 */
public final class PgServer implements BeforeAllCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Cluster cluster;

    /** Connection settings of the running server. */
    record Cluster(String url, String user, String password, Path state, boolean owned)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() throws Exception {
            if (owned) {
                script("stop", state);
            }
        }

        /** A new, empty database on this server. */
        public Db freshDatabase() {
            String name = "moat_t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
            try (Connection conn = DriverManager.getConnection(url, user, password); Statement s = conn.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
            }
            return new Db(url.substring(0, url.lastIndexOf('/') + 1) + name, user, password);
        }

        @Override
        public String toString() {
            return "Cluster[" + url + ", user=" + user + "]"; // never the password
        }

        /** {@code pg_ctl stop -m fast}, keeping the data. */
        public void pause() throws Exception {
            script("pause", state);
        }

        /** {@code pg_ctl start} again on the same port. */
        public void resume() throws Exception {
            script("resume", state);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (PgServer.class) {
            if (cluster == null) {
                cluster = start();
                context.getRoot().getStore(ExtensionContext.Namespace.create(PgServer.class)).put("cluster", cluster);
            }
        }
    }

    private static Cluster start() throws Exception {
        String url = System.getenv("MOAT_PG_URL");
        if (url != null) {
            String state = System.getenv("MOAT_PG_STATE");
            return new Cluster(url, System.getenv("MOAT_PG_USER"), System.getenv("PGPASSWORD"), state == null ? null : Path.of(state), false);
        }
        Path state = Files.createTempDirectory(Path.of("/tmp"), "moat-pg-");
        Map<String, String> env = parseExports(script("start", state));
        return new Cluster(env.get("MOAT_PG_URL"), env.get("MOAT_PG_USER"), env.get("PGPASSWORD"), state, true);
    }

    private static Map<String, String> parseExports(String out) {
        Map<String, String> env = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("export ")) {
                int eq = line.indexOf('=');
                env.put(line.substring(7, eq), line.substring(eq + 1).replace("'", ""));
            }
        }
        return env;
    }

    static String script(String command, Path state) throws IOException, InterruptedException {
        String script = System.getProperty("moat.pg.script", "scripts/pg-test-server.sh");
        Path errFile = Files.createTempFile("pg-test-server", ".err");
        try {
            Process p = new ProcessBuilder("bash", script, command, state.toString()).redirectError(errFile.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("pg-test-server.sh " + command + " failed: " + Files.readString(errFile));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errFile);
        }
    }

    private static Cluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("PgServer not registered on this test class");
        }
        return cluster;
    }

    /** A new, empty database on the server. */
    public Db freshDatabase() {
        return cluster().freshDatabase();
    }

    /**
     * A server the test may stop and start: the shared one when it was started by the script,
     * otherwise a private throwaway cluster (close it at the end).
     */
    public Cluster pausableCluster() throws Exception {
        Cluster c = cluster();
        if (c.state() != null) {
            return new Cluster(c.url(), c.user(), c.password(), c.state(), false);
        }
        Path state = Files.createTempDirectory(Path.of("/tmp"), "moat-pg-");
        Map<String, String> env = parseExports(script("start", state));
        return new Cluster(env.get("MOAT_PG_URL"), env.get("MOAT_PG_USER"), env.get("PGPASSWORD"), state, true);
    }

    /** One database of the test server. */
    public record Db(String url, String user, String password) {
        @Override
        public String toString() {
            return "Db[" + url + ", user=" + user + "]"; // never the password
        }

        public PostgresConfig.Builder config(String replica) {
            return PostgresConfig.builder(url).user(user).password(password).replica(replica)
                    .connectTimeout(java.time.Duration.ofSeconds(2)).queryTimeout(java.time.Duration.ofSeconds(3));
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        /** Runs SQL with the real {@code psql} client, as an operator editing rows by hand would. */
        public String psql(String sql) throws IOException, InterruptedException {
            String rest = url.substring("jdbc:postgresql://".length());
            String hostPort = rest.substring(0, rest.indexOf('/'));
            String db = rest.substring(rest.indexOf('/') + 1);
            List<String> cmd = new ArrayList<>(List.of(psqlBinary(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At",
                    "-h", hostPort.substring(0, hostPort.lastIndexOf(':')), "-p", hostPort.substring(hostPort.lastIndexOf(':') + 1),
                    "-U", user, "-d", db, "-c", sql));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", password);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("psql failed: " + out);
            }
            return out.trim();
        }
    }

    static String psqlBinary() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (Stream<Path> versions = Files.list(base)) {
                return versions.map(v -> v.resolve("bin/psql")).filter(Files::isExecutable)
                        .max(Comparator.comparing(Path::toString)).map(Path::toString).orElse("psql");
            }
        }
        return "psql";
    }
}
