package dev.moat.check;

import java.util.Objects;

/**
 * Why something was refused: a stable {@link ReasonCode} and a one-line human detail. The detail
 * never contains key material or secret values; it may name ids, resources and rules.
 */
public record Failure(ReasonCode code, String detail) {
    public Failure {
        Objects.requireNonNull(code, "code");
        detail = detail == null ? "" : detail;
    }

    public static Failure of(ReasonCode code, String detail) {
        return new Failure(code, detail);
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? code.code() : code.code() + ": " + detail;
    }
}
