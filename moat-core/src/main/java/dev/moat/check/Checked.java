package dev.moat.check;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of checking untrusted input: {@link Ok} with the value, or {@link Failed} with a
 * typed {@link Failure}. Parsers and verifiers return this instead of throwing.
 */
public sealed interface Checked<T> {

    record Ok<T>(T value) implements Checked<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failed<T>(Failure failure) implements Checked<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    static <T> Checked<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Checked<T> failed(ReasonCode code, String detail) {
        return new Failed<>(Failure.of(code, detail));
    }

    static <T> Checked<T> failed(Failure failure) {
        return new Failed<>(failure);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value, or a {@link CheckFailedException} carrying the failure. */
    default T orThrow() {
        if (this instanceof Ok<T> ok) {
            return ok.value();
        }
        throw new CheckFailedException(((Failed<T>) this).failure());
    }

    /** The failure, or {@code null} when this is {@link Ok}. */
    default Failure failureOrNull() {
        return this instanceof Failed<T> f ? f.failure() : null;
    }

    default <R> Checked<R> map(Function<? super T, ? extends R> f) {
        if (this instanceof Ok<T> ok) {
            return new Ok<>(f.apply(ok.value()));
        }
        return new Failed<>(((Failed<T>) this).failure());
    }
}
