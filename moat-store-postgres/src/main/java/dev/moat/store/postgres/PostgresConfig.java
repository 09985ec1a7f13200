package dev.moat.store.postgres;

import dev.moat.policy.StoreSection;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Connection settings for the PostgreSQL stores. {@code replica} names this instance's audit chain
 * (stable across restarts, unique in the fleet). The password is held here only to open connections
 * and never appears in {@link #toString()} or in errors.
 */
public final class PostgresConfig {
    /** Where the replica name comes from when the policy's {@code store:} section gives none. */
    public static final String REPLICA_ENV = "MOAT_REPLICA";
    private static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String url;
    private final String user;
    private final String password;
    private final String replica;
    private final int poolSize;
    private final Duration connectTimeout;
    private final Duration queryTimeout;

    private PostgresConfig(Builder b) {
        this.url = b.url;
        this.user = b.user;
        this.password = b.password;
        this.replica = b.replica;
        this.poolSize = b.poolSize;
        this.connectTimeout = b.connectTimeout;
        this.queryTimeout = b.queryTimeout;
    }

    /** Settings for {@code url} (a {@code jdbc:postgresql://host:port/database} URL). */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * From the policy's {@code store:} section; {@code env} resolves {@code password: {env: NAME}}.
     * A named variable that is unset is an error (an empty password is never assumed). Without
     * {@code replica:} the replica name is {@code $MOAT_REPLICA} (or {@code default}), so every replica
     * can run the same policy file: messages are bound to the policy's hash, which then is the fleet's.
     */
    public static PostgresConfig from(StoreSection s, Function<String, String> env) {
        if (s.url() == null) {
            throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG, "store: url: required for kind postgres");
        }
        Builder b = builder(s.url());
        if (s.user() != null) {
            b.user(s.user());
        }
        String var = s.passwordEnv();
        if (var != null) {
            String pw = env.apply(var);
            if (pw == null) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG,
                        "store: password: environment variable " + var + " is not set");
            }
            b.password(pw);
        }
        if (s.replica() != null) {
            b.replica(s.replica());
        } else if (env.apply(REPLICA_ENV) != null) { // one policy file for the whole fleet: its binding is the same everywhere
            b.replica(env.apply(REPLICA_ENV));
        }
        if (s.poolSize() != null) {
            b.poolSize(s.poolSize());
        }
        return b.connectTimeout(s.connectTimeoutOrDefault()).queryTimeout(s.queryTimeoutOrDefault()).build();
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    String password() {
        return password;
    }

    public String replica() {
        return replica;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration queryTimeout() {
        return queryTimeout;
    }

    @Override
    public String toString() {
        return "PostgresConfig[url=" + url + ", user=" + user + ", replica=" + replica + ", poolSize=" + poolSize + "]";
    }

    /** Builder; {@link #build()} checks the values. */
    public static final class Builder {
        private final String url;
        private String user;
        private String password;
        private String replica = "default";
        private int poolSize = 8;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration queryTimeout = Duration.ofSeconds(5);

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        public Builder user(String user) {
            this.user = Objects.requireNonNull(user);
            return this;
        }

        public Builder password(String password) {
            this.password = Objects.requireNonNull(password);
            return this;
        }

        /** This instance's audit chain name (default {@code default}; give each replica its own). */
        public Builder replica(String replica) {
            this.replica = Objects.requireNonNull(replica);
            return this;
        }

        public Builder poolSize(int poolSize) {
            this.poolSize = poolSize;
            return this;
        }

        /** Longest wait for a connection (default 5 s); during an outage, calls are denied after at most this. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Longest wait for one statement's answer (default 5 s). */
        public Builder queryTimeout(Duration timeout) {
            this.queryTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public PostgresConfig build() {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG,
                        "store: url: must be a jdbc:postgresql://host:port/database URL");
            }
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.contains("password=") || url.substring("jdbc:postgresql://".length()).contains("@")) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG,
                        "store: url: must not carry credentials; use user: and password: {env: ...}");
            }
            if (!REPLICA.matcher(replica).matches()) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG,
                        "store: replica: 1-64 characters of letters, digits, '.', '_', '-'");
            }
            if (poolSize < 1 || poolSize > 256) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG, "store: pool_size: must be between 1 and 256");
            }
            if (connectTimeout.toMillis() < 250 || queryTimeout.toMillis() < 250) {
                throw new PostgresStoreException(PostgresStoreException.Kind.BAD_CONFIG, "store: timeouts must be at least 250ms");
            }
            return new PostgresConfig(this);
        }
    }
}
