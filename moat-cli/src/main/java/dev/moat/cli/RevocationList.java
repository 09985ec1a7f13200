package dev.moat.cli;

import dev.moat.home.RevocationFile;
import dev.moat.home.Revocations;
import dev.moat.identity.AgentId;
import dev.moat.token.RevocationCheck;
import java.nio.file.Path;

/**
 * The home's revocation list, {@code revoked.json}, through core's {@link RevocationFile}: written
 * atomically with fsync, and enforced within a second by a running {@code Moat} that uses this
 * home. {@code token verify} consults it at every link of a chain.
 */
public final class RevocationList implements RevocationCheck {
    private final RevocationFile file;
    private Revocations current;

    RevocationList(Path file) {
        this.file = new RevocationFile(file);
        this.current = read();
    }

    @Override
    public boolean isAgentRevoked(AgentId agent) {
        return current.isAgentRevoked(agent);
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return current.isTokenRevoked(tokenId);
    }

    /** Returns false when the token was already revoked. */
    public boolean revokeToken(String tokenId) {
        boolean added = HomeFileCalls.write(() -> file.revokeToken(tokenId));
        current = read();
        return added;
    }

    /** Returns false when the agent was already revoked. */
    public boolean revokeAgent(AgentId agent) {
        boolean added = HomeFileCalls.write(() -> file.revokeAgent(agent));
        current = read();
        return added;
    }

    public Path file() {
        return file.file();
    }

    private Revocations read() {
        return HomeFileCalls.read(() -> file.read());
    }
}
