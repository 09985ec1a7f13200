package dev.moat.guard;

import dev.moat.pep.Decision;

/**
 * A tool body that needs the allow decision: the exact signed arguments
 * ({@code allow.message().body()}) and the verified capability's limits
 * ({@code allow.capability().limits()}), for example to run a sandboxed implementation.
 */
@FunctionalInterface
public interface AllowedBody<T> {
    T run(Decision.Allow allow) throws Exception;
}
