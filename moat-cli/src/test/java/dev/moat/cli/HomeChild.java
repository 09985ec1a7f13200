package dev.moat.cli;

import dev.moat.Moat;
import java.nio.file.Path;

/** Child JVM for {@link LiveHomeTest}: starts a Moat from the policy in args[0], prints the outcome. */
public final class HomeChild {
    private HomeChild() {}

    public static void main(String[] args) {
        try (Moat moat = Moat.fromPolicy(Path.of(args[0]))) {
            System.out.println("started");
            System.exit(0);
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }
}
