package dev.moat.agent.bootstrap;

/**
 * The only Moat class application code can see: the code the agent weaves into application and framework
 * classes calls these static methods, which hand the call to the {@link Dispatcher} installed by
 * the agent. Loaded from the agent jar's bytes onto the boot class path, so every class loader sees
 * this one copy. Without a dispatcher every guarded call fails (fail closed).
 *
 * <p>Also holds the thread-local "already decided" marker: a tool call decided by the framework hook
 * is not decided again when the framework then invokes the {@code @Tool} method on the same thread.
 */
public final class MoatBridge {
    private static volatile Dispatcher dispatcher;
    private static final ThreadLocal<String> DECIDED = new ThreadLocal<>();

    private MoatBridge() {}

    /** Installs the dispatcher; only once per JVM (a second call is refused). */
    public static synchronized void install(Dispatcher d) {
        if (d == null) {
            throw new NullPointerException("dispatcher");
        }
        if (dispatcher != null) {
            throw new IllegalStateException("moat: the bridge already has a dispatcher");
        }
        dispatcher = d;
    }

    public static boolean installed() {
        return dispatcher != null;
    }

    public static Object enterToolService(Object request, Object executor, Object context) {
        return required().enterToolService(request, executor, context);
    }

    public static Object exitToolService(Object scope, Object result, Throwable thrown) {
        if (scope instanceof Denial) {
            return ((Denial) scope).result;
        }
        return required().exitToolService(scope, result, thrown);
    }

    public static Object enterMethod(String target, Object[] args) {
        return required().enterMethod(target, args);
    }

    public static void exitMethod(Object scope, Object result, Throwable thrown) {
        required().exitMethod(scope, result, thrown);
    }

    public static Object enterToolCallback(Object callback, String input) {
        return required().enterToolCallback(callback, input);
    }

    public static void exitToolCallback(Object scope, Object result, Throwable thrown) {
        required().exitToolCallback(scope, result, thrown);
    }

    /** Marks {@code tool} as decided on this thread; returns the previous marker for {@link #restoreDecided}. */
    public static String markDecided(String tool) {
        String previous = DECIDED.get();
        DECIDED.set(tool);
        return previous;
    }

    /** True (and the marker is cleared) when {@code tool} was decided on this thread and not yet run. */
    public static boolean consumeDecided(String tool) {
        String decided = DECIDED.get();
        if (decided != null && decided.equals(tool)) {
            DECIDED.set(null);
            return true;
        }
        return false;
    }

    /**
     * True when {@code tool} was decided on this thread and not yet run, without clearing the marker:
     * a Spring AI callback delegating to its own {@code call} overload (or a wrapping callback to the
     * one it wraps) is inside the same decided call.
     */
    public static boolean isDecided(String tool) {
        String decided = DECIDED.get();
        return decided != null && decided.equals(tool);
    }

    public static void restoreDecided(String previous) {
        if (previous == null) {
            DECIDED.remove();
        } else {
            DECIDED.set(previous);
        }
    }

    private static Dispatcher required() {
        Dispatcher d = dispatcher;
        if (d == null) {
            throw new IllegalStateException("moat: guard not installed; the call is refused");
        }
        return d;
    }
}
