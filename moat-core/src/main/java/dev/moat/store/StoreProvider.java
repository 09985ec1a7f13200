package dev.moat.store;

import dev.moat.policy.StoreSection;
import java.util.function.Function;

/**
 * A backend for the policy's {@code store:} section, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.moat.store.StoreProvider} entry) and chosen by {@link #kind()}.
 */
public interface StoreProvider {

    /** The {@code kind} this provider serves, for example {@code postgres}. */
    String kind();

    /**
     * Connects and returns the stores; {@code env} resolves the password variable. Throws a
     * {@link dev.moat.MoatException} with a message fit for an operator (never containing the
     * password) when the backend cannot be used.
     */
    Stores open(StoreSection section, Function<String, String> env);
}
