package dev.moat.secrets;

/**
 * Receives one event per resolution attempt, granted or denied, before the value is used. Runs
 * on the resolving thread; must be thread-safe. If it throws on a grant, the resolution is denied
 * ({@link SecretDenial#INTERNAL}): a use that cannot be audited does not happen.
 */
@FunctionalInterface
public interface SecretListener {
    void onResolution(SecretResolutionEvent event);

    SecretListener NONE = event -> { };
}
