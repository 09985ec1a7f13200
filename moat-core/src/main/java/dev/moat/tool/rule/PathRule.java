package dev.moat.tool.rule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The path rule: lexical containment after normalisation, then the same for real (link-resolved) paths. */
final class PathRule {
    private PathRule() {}

    static String violation(Path directory, String value) {
        if (value.isEmpty() || value.indexOf('\0') >= 0) {
            return "is not a valid path";
        }
        Path candidate;
        try {
            candidate = directory.resolve(value).normalize();
        } catch (InvalidPathException e) {
            return "is not a valid path";
        }
        if (!candidate.startsWith(directory)) {
            return "leaves " + directory;
        }
        try {
            Path realDirectory = Files.exists(directory) ? directory.toRealPath() : directory;
            if (!realPath(candidate).startsWith(realDirectory)) {
                return "leaves " + directory + " through a symbolic link";
            }
        } catch (IOException | SecurityException e) {
            return "could not be resolved safely";
        }
        return null;
    }

    /** The real path of the deepest existing ancestor, with the not-yet-existing rest appended. */
    private static Path realPath(Path p) throws IOException {
        Path existing = p;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        return existing.toRealPath().resolve(existing.relativize(p)).normalize();
    }
}
