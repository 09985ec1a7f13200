package dev.moat.replay;

import java.nio.file.Path;

/** Child JVM for {@link SequenceStoreLockTest}: opens the store in args[0], prints the outcome. */
public final class SequenceStoreLockChild {
    private SequenceStoreLockChild() {}

    public static void main(String[] args) {
        try (FileSequenceStore s = FileSequenceStore.open(Path.of(args[0]))) {
            System.out.println("opened");
            System.exit(0);
        } catch (SequenceStoreException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(3);
        }
    }
}
