package dev.moat.bridge.testing;

import dev.moat.identity.AgentKeypair;
import dev.moat.identity.HomeFolder;
import dev.moat.identity.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test and sample helper: {@code WriteKeys DIR NAME...} writes a fresh owner-only key file
 * {@code DIR/NAME.key} for each name that has none yet (the pytest fixtures and the CrewAI sample
 * use it; users run {@code moat identity generate}).
 */
public final class WriteKeys {
    private WriteKeys() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        if (dir.getFileName().toString().equals("keys") && dir.toAbsolutePath().getParent().getFileName().toString().equals(".moat")) {
            HomeFolder.prepare(dir.toAbsolutePath().getParent()); // a home Moat made (marker), as `moat init` does
        }
        for (int i = 1; i < args.length; i++) {
            Path file = dir.resolve(args[i] + ".key");
            if (!Files.exists(file)) {
                KeyFiles.savePrivate(AgentKeypair.generate(args[i]), file);
            }
        }
    }
}
