package dev.moat.sandbox;

import dev.moat.guard.SandboxModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Loads the checked-in skills from samples/skills/wasm (built by samples/skills/build.sh). */
final class Skills {
    private static final Path DIR = locate();

    private Skills() {}

    static SandboxModule load(String name) {
        try {
            return SandboxModule.of(Files.readAllBytes(DIR.resolve(name + ".wasm")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Path locate() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("samples/skills/wasm");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("samples/skills/wasm not found above " + here);
    }
}
