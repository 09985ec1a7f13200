package dev.moat.spring.boot;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.KeyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A base directory holding the keys the test policy names (keys/owner.key, keys/assistant.key). */
final class TestHome {
    private TestHome() {}

    static Path create() {
        try {
            Path dir = Files.createTempDirectory("moat-starter-");
            KeyFiles.savePrivate(AgentKeypair.generate("owner"), dir.resolve("keys/owner.key"));
            KeyFiles.savePrivate(AgentKeypair.generate("assistant"), dir.resolve("keys/assistant.key"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
