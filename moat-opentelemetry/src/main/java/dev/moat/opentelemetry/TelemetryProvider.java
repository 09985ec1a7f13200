package dev.moat.opentelemetry;

import dev.moat.guard.DecisionObserver;
import dev.moat.guard.ObserverProvider;

/**
 * Adds {@link MoatTelemetry} on {@link io.opentelemetry.api.GlobalOpenTelemetry} to every
 * policy-started runtime (found with {@link java.util.ServiceLoader}), bound lazily
 * ({@link GlobalTelemetry}) so that starting Moat never fixes the global to a no-op before the
 * application installs its SDK. The OpenTelemetry API is an
 * optional dependency: when the application does not have it on its class path this provider
 * checks for the class first and adds nothing, so no OpenTelemetry class is ever loaded.
 */
public final class TelemetryProvider implements ObserverProvider {
    static final String API_CLASS = "io.opentelemetry.api.GlobalOpenTelemetry";

    @Override
    public DecisionObserver create() {
        if (!apiPresent(TelemetryProvider.class.getClassLoader())) {
            return null;
        }
        return Global.observer();
    }

    static boolean apiPresent(ClassLoader loader) {
        try {
            Class.forName(API_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Touches OpenTelemetry classes only when called, after the presence check. */
    private static final class Global {
        static DecisionObserver observer() {
            return new GlobalTelemetry();
        }
    }
}
