package dev.moat.js;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code node scripts/interop.mjs ...} in the moat-js directory, with a timeout. */
final class Node {
    static final Path MODULE = Path.of("").toAbsolutePath();

    private Node() {}

    /** Runs the interop driver and returns its standard output; fails on a non-zero exit or a timeout. */
    static String interop(Path scratch, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", MODULE.resolve("scripts/interop.mjs").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "node", ".out");
        Path err = Files.createTempFile(scratch, "node", ".err");
        Process p = new ProcessBuilder(command).directory(MODULE.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("node exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
