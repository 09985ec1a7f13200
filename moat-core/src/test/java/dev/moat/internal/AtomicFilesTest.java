package dev.moat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void ownerOnlyFileIsMode0600WithCompleteContentAndNoTemporaryFileLeft() throws IOException {
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("revoked.json");

        AtomicFiles.writeOwnerOnly(file, content);

        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(names()).containsExactly("revoked.json");
    }

    @Test
    void ownerOnlyReplacesAWorldReadableFileWithA0600One() throws IOException {
        Path file = dir.resolve("trust.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        AtomicFiles.writeOwnerOnly(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(names()).containsExactly("trust.json");
    }

    @Test
    void plainWriteReplacesTheWholeContent() throws IOException {
        Path file = dir.resolve("token.json");
        Files.writeString(file, "a much longer previous content that must not survive in part");

        AtomicFiles.write(file, "short".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(file)).isEqualTo("short");
        assertThat(names()).containsExactly("token.json");
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path file = dir.resolve("a/b/c.json");

        AtomicFiles.writeOwnerOnly(file, new byte[] {1, 2, 3});

        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3);
    }

    @Test
    void aFailedRenameLeavesNoTemporaryFileAndTheTargetUntouched() throws IOException {
        Path target = dir.resolve("busy");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced by a file

        assertThatThrownBy(() -> AtomicFiles.writeOwnerOnly(target, new byte[] {42})).isInstanceOf(IOException.class);

        assertThat(target).isDirectory();
        assertThat(target.resolve("child")).isDirectory();
        assertThat(names()).containsExactly("busy");
    }

    @Test
    void ownerOnlyDirectoriesAreMode0700AllTheWayDown() throws IOException {
        Path leaf = dir.resolve("home/keys");

        AtomicFiles.createOwnerOnlyDirectories(leaf);

        assertThat(mode(dir.resolve("home"))).isEqualTo("rwx------");
        assertThat(mode(leaf)).isEqualTo("rwx------");
    }

    @Test
    void anExistingDirectoryKeepsItsMode() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        AtomicFiles.createOwnerOnlyDirectories(shared);

        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void createOwnerOnlyMakesAnEmpty0600FileAndNeverOverwrites() throws IOException {
        Path log = dir.resolve("audit.jsonl");

        AtomicFiles.createOwnerOnly(log);

        assertThat(log).isEmptyFile();
        assertThat(mode(log)).isEqualTo("rw-------");
        Files.writeString(log, "entry\n");
        assertThatThrownBy(() -> AtomicFiles.createOwnerOnly(log)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readString(log)).isEqualTo("entry\n");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
