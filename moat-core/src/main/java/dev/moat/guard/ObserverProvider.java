package dev.moat.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A {@link DecisionObserver} that a module on the class path adds to every policy-started runtime
 * ({@code Moat.fromPolicy}, {@code PolicyRuntime.start}, the Java agent), found with
 * {@link ServiceLoader} once at start-up: {@code moat-opentelemetry} registers one, so putting it
 * on the class path is all a policy-started application needs for spans and metrics. Nothing is
 * looked up per call; without a provider nothing is added.
 */
public interface ObserverProvider {

    /** The observer for one runtime, or {@code null} when this provider has nothing to observe with. */
    DecisionObserver create();

    /** One observer from every provider on the class path (a provider that fails to load is skipped and logged). */
    static List<DecisionObserver> discover() {
        List<DecisionObserver> out = new ArrayList<>();
        var it = ServiceLoader.load(ObserverProvider.class, ObserverProvider.class.getClassLoader()).iterator();
        for (int i = 0; i < 64; i++) { // bounded: a provider list that keeps failing cannot loop forever
            try {
                if (!it.hasNext()) {
                    break;
                }
                DecisionObserver o = it.next().create();
                if (o != null) {
                    out.add(o);
                }
            } catch (java.util.ServiceConfigurationError | RuntimeException | LinkageError e) {
                // an observer is never on the security path: a broken one is skipped, not fatal
                org.slf4j.LoggerFactory.getLogger(ObserverProvider.class).warn("moat: decision observer provider skipped: {}", e.toString());
            }
        }
        return out;
    }
}
