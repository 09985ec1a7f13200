package dev.moat.secrets;

import dev.moat.identity.AgentId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** What the proxy remembers about one issued handle. */
final class HandleRecord {
    final byte[] handleBytes;
    final AgentId agent;
    final SecretName name;
    final Instant expiresAt;
    volatile boolean revoked;

    HandleRecord(SecretHandle handle, AgentId agent, SecretName name, Instant expiresAt) {
        this.handleBytes = handle.value().getBytes(StandardCharsets.US_ASCII);
        this.agent = agent;
        this.name = name;
        this.expiresAt = expiresAt;
    }
}
