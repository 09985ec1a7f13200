package dev.moat.guard;

import dev.moat.pep.Decision;
import java.util.Objects;

/**
 * The outcome of {@link Guard#call}: the tool ran and returned ({@link Completed}), the tool was
 * never run because Moat denied the call ({@link Denied}), or the tool ran and threw
 * ({@link Failed}). All three are audited.
 */
public sealed interface GuardedCall<T> {

    record Completed<T>(T value, Decision.Allow decision) implements GuardedCall<T> {}

    record Denied<T>(Decision.Deny decision) implements GuardedCall<T> {
        public Denied {
            Objects.requireNonNull(decision, "decision");
        }
    }

    record Failed<T>(Decision.Allow decision, Exception error) implements GuardedCall<T> {}

    default boolean completed() {
        return this instanceof Completed;
    }
}
