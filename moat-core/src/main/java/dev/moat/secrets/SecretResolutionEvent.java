package dev.moat.secrets;

import dev.moat.identity.AgentId;
import java.time.Instant;
import java.util.Objects;

/**
 * One attempt to resolve a handle, for the audit log. Never carries the value.
 *
 * @param handle         the presented handle, or {@code ""} when it was not a well-formed handle
 *                       (malformed text is not echoed: it could be anything, a value included)
 * @param secretNameHash {@link SecretName#hash()} of the secret, or {@code ""} when unknown
 * @param denial         {@code null} when granted
 */
public record SecretResolutionEvent(
        Instant at,
        AgentId agent,
        String handle,
        String secretNameHash,
        SecretUse use,
        SecretDenial denial) {

    public SecretResolutionEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(secretNameHash, "secretNameHash");
        Objects.requireNonNull(use, "use");
    }

    public boolean granted() {
        return denial == null;
    }
}
