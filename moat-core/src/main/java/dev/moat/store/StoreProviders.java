package dev.moat.store;

import dev.moat.MoatException;
import dev.moat.policy.StoreSection;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Function;

/** Finds the {@link StoreProvider} for a {@code store:} section's kind and opens it. */
public final class StoreProviders {
    private StoreProviders() {}

    /** Opens the stores {@code section} describes, reading the password variable from the process environment. */
    public static Stores open(StoreSection section) {
        return open(section, System::getenv);
    }

    /** Opens the stores {@code section} describes; {@code env} resolves the password variable. */
    public static Stores open(StoreSection section, Function<String, String> env) {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(env, "env");
        try {
            section.validate();
        } catch (IllegalArgumentException e) {
            throw new MoatException("store: " + e.getMessage());
        }
        return find(section.kind()).open(section, env);
    }

    /** The provider for {@code kind}; a clear error when none is on the class path. */
    public static StoreProvider find(String kind) {
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, StoreProviders.class.getClassLoader())) {
            if (p.kind().equals(kind)) {
                return p;
            }
        }
        throw new MoatException("store: no provider for kind '" + kind + "' on the class path"
                + ("postgres".equals(kind) ? " (add the moat-store-postgres module)" : ""));
    }
}
