package dev.moat.store.postgres;

import dev.moat.policy.StoreSection;
import dev.moat.store.StoreProvider;
import dev.moat.store.Stores;
import java.util.function.Function;

/** {@code store: {kind: postgres, ...}}: found by {@link java.util.ServiceLoader}. */
public final class PostgresStoreProvider implements StoreProvider {

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public Stores open(StoreSection section, Function<String, String> env) {
        return PostgresStores.open(PostgresConfig.from(section, env));
    }
}
