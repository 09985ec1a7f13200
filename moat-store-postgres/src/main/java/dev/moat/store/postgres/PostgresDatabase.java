package dev.moat.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * The connection pool (HikariCP) to one PostgreSQL database, opened after a direct probe connection
 * that turns a wrong URL, bad credentials or a missing database into a precise
 * {@link PostgresStoreException}, and after the schema {@link Migrations} ran. Thread-safe.
 */
public final class PostgresDatabase implements AutoCloseable {
    private final PostgresConfig config;
    private final HikariDataSource pool;
    private final Migrations.Result migration;

    private PostgresDatabase(PostgresConfig config, HikariDataSource pool, Migrations.Result migration) {
        this.config = config;
        this.pool = pool;
        this.migration = migration;
    }

    /** Connects, brings the schema to this code's version, and starts the pool. */
    public static PostgresDatabase open(PostgresConfig config) {
        Migrations.Result m;
        try (Connection c = connectDirectly(config)) {
            m = Migrations.apply(c);
        } catch (SQLException e) {
            throw new PostgresStoreException(PostgresStoreException.Kind.UNREACHABLE,
                    "store: lost the connection to " + config.url() + " while checking the schema: " + SqlErrors.describe(e), e);
        }
        HikariConfig h = new HikariConfig();
        h.setPoolName("moat-" + config.replica());
        h.setDataSourceProperties(driverProperties(config));
        h.setJdbcUrl(config.url());
        h.setDriverClassName(Driver.class.getName());
        h.setMaximumPoolSize(config.poolSize());
        h.setMinimumIdle(Math.min(2, config.poolSize()));
        h.setConnectionTimeout(config.connectTimeout().toMillis());
        h.setValidationTimeout(Math.max(250, Math.min(config.connectTimeout().toMillis(), config.queryTimeout().toMillis())));
        h.setInitializationFailTimeout(-1); // the probe above already failed fast with a precise error
        h.setAutoCommit(true);
        // Every accepted sequence number and audit batch is durable when the statement returns.
        h.setConnectionInitSql("SET synchronous_commit = on");
        return new PostgresDatabase(config, new HikariDataSource(h), m);
    }

    /** A connection outside the pool, with the same settings (for locks held for a store's life). */
    Connection connectDirectly() throws SQLException {
        return new Driver().connect(config.url(), driverProperties(config));
    }

    private static Connection connectDirectly(PostgresConfig config) {
        try {
            Connection c = new Driver().connect(config.url(), driverProperties(config));
            if (c == null) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG, "store: url: not accepted by the PostgreSQL driver");
            }
            return c;
        } catch (SQLException e) {
            String state = SqlErrors.state(e);
            String who = "user '" + config.user() + "' at " + config.url();
            if (state.equals("28P01") || state.equals("28000")) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CREDENTIALS,
                        "store: PostgreSQL refused the credentials of " + who + " (" + state + ")", e);
            }
            if (state.equals("3D000")) {
                throw new PostgresStoreException(PostgresStoreException.Kind.NO_DATABASE,
                        "store: the database in " + config.url() + " does not exist (3D000)", e);
            }
            throw new PostgresStoreException(PostgresStoreException.Kind.UNREACHABLE,
                    "store: cannot connect to PostgreSQL at " + config.url() + ": " + SqlErrors.describe(e), e);
        }
    }

    private static Properties driverProperties(PostgresConfig config) {
        Properties p = new Properties();
        if (config.user() != null) {
            p.setProperty("user", config.user());
        }
        if (config.password() != null) {
            p.setProperty("password", config.password());
        }
        long connectSeconds = Math.max(1, (config.connectTimeout().toMillis() + 999) / 1000);
        long socketSeconds = Math.max(1, (config.queryTimeout().toMillis() + 999) / 1000);
        p.setProperty("connectTimeout", Long.toString(connectSeconds));
        p.setProperty("loginTimeout", Long.toString(connectSeconds));
        p.setProperty("socketTimeout", Long.toString(socketSeconds));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "moat/" + config.replica());
        return p;
    }

    public DataSource dataSource() {
        return pool;
    }

    public PostgresConfig config() {
        return config;
    }

    /** What the schema check found and did at start-up. */
    public Migrations.Result migration() {
        return migration;
    }

    @Override
    public void close() {
        pool.close();
    }
}
