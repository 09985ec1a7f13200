package dev.moat.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The policy file's {@code store:} section: a shared backend for the replay state, the audit log
 * and the rate-limit windows, instead of the files under the home. Which backend is {@code kind};
 * a {@link dev.moat.store.StoreProvider} for that kind opens it. The password is never written in
 * the file, only the name of the environment variable holding it. Example:
 * <pre>
 * store: {kind: postgres, url: "jdbc:postgresql://db.internal:5432/moat", user: moat,
 *         password: {env: PGPASSWORD}, replica: api-1, audience: orders-service,
 *         pool_size: 8, connect_timeout: 5s, query_timeout: 5s}
 * </pre>
 * {@code audience} is the fleet's one identity as a policy enforcement point, signed into every
 * message ({@code aud}): every replica of a fleet sets the same value, so a message for the fleet
 * is accepted by any replica (once, the replay state being shared) and refused by any other fleet
 * or standalone instance. Without it each replica's audience is its own audit key's id.
 */
public record StoreSection(
        @JsonProperty(value = "kind", required = true) String kind,
        @JsonProperty("url") String url,
        @JsonProperty("user") String user,
        @JsonProperty("password") JsonNode password,
        @JsonProperty("replica") String replica,
        @JsonProperty("pool_size") Integer poolSize,
        @JsonProperty("connect_timeout") String connectTimeout,
        @JsonProperty("query_timeout") String queryTimeout,
        @JsonProperty("audience") String audience) {

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern REPLICA = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern AUDIENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** Checks the values every kind shares; {@link IllegalArgumentException} names the field. */
    public void validate() {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("kind: must be a lower-case name such as 'postgres'");
        }
        passwordEnv();
        if (replica != null && !REPLICA.matcher(replica).matches()) {
            throw new IllegalArgumentException("replica: 1-64 characters of letters, digits, '.', '_', '-'");
        }
        if (audience != null && !AUDIENCE.matcher(audience).matches()) {
            throw new IllegalArgumentException("audience: 1-128 characters of letters, digits, '.', '_', ':', '/', '-' (starting with a letter or digit)");
        }
        if (poolSize != null && (poolSize < 1 || poolSize > 256)) {
            throw new IllegalArgumentException("pool_size: must be between 1 and 256");
        }
        timeout("connect_timeout", connectTimeout, Duration.ofSeconds(5));
        timeout("query_timeout", queryTimeout, Duration.ofSeconds(5));
    }

    /**
     * The environment variable that holds the password, or {@code null} when none is configured.
     * A literal password in the file is refused (its value is never repeated in the error).
     */
    public String passwordEnv() {
        if (password == null || password.isNull()) {
            return null;
        }
        if (!password.isObject()) {
            throw new IllegalArgumentException("password: a literal password is not allowed in the policy file; "
                    + "write password: {env: PGPASSWORD} and set that variable");
        }
        if (password.size() != 1 || !password.path("env").isTextual()) {
            throw new IllegalArgumentException("password: must be exactly {env: VARIABLE_NAME}");
        }
        String env = password.get("env").asText();
        if (!ENV_NAME.matcher(env).matches()) {
            throw new IllegalArgumentException("password.env: not a valid environment variable name");
        }
        return env;
    }

    /** {@code connect_timeout}, default 5 s. */
    public Duration connectTimeoutOrDefault() {
        return timeout("connect_timeout", connectTimeout, Duration.ofSeconds(5));
    }

    /** {@code query_timeout}, default 5 s: longest wait for one statement before the call is denied. */
    public Duration queryTimeoutOrDefault() {
        return timeout("query_timeout", queryTimeout, Duration.ofSeconds(5));
    }

    private static Duration timeout(String field, String text, Duration dflt) {
        if (text == null) {
            return dflt;
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
        if (d.toMillis() < 250 || d.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(field + ": must be between 250ms and 5m");
        }
        return d;
    }

    @Override
    public String toString() {
        return "StoreSection[kind=" + kind + ", url=" + url + ", user=" + user + ", replica=" + replica
                + ", audience=" + audience + ", poolSize=" + poolSize + "]";
    }
}
