package dev.moat.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.MoatException;
import dev.moat.TestKeys;
import dev.moat.crypto.Base64Url;
import dev.moat.check.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class KeyFilesTest {
    @TempDir
    Path dir;

    private final AgentKeypair alice = TestKeys.agent("alice");

    private Path saved() {
        Path f = dir.resolve("alice.key.json");
        KeyFiles.savePrivate(alice, f);
        return f;
    }

    @Test
    void privateKeyFileIsWrittenOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved()))).isEqualTo("rw-------");
    }

    @Test
    void overwritingAnOpenFileLeavesItOwnerOnly() throws IOException {
        Path f = dir.resolve("k.json");
        Files.writeString(f, "{}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));
        KeyFiles.savePrivate(alice, f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void roundTripKeepsIdNameAndKey() {
        AgentKeypair loaded = KeyFiles.loadPrivate(saved());
        assertThat(loaded.id()).isEqualTo(alice.id());
        assertThat(loaded.name()).isEqualTo("alice");
        assertThat(loaded.publicKey()).isEqualTo(alice.publicKey());
    }

    @Test
    void groupReadableFileIsRefused() throws IOException {
        Path f = saved();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void worldReadableFileIsRefused() throws IOException {
        Path f = saved();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void insecureMethodLoadsAGroupReadableFile() throws IOException {
        Path f = saved();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(KeyFiles.loadPrivateInsecureAllowGroupReadable(f).id()).isEqualTo(alice.id());
    }

    @Test
    void tamperedSeedIsRefused() throws IOException {
        Path f = saved();
        String bob = Base64Url.encode(TestKeys.seed("bob"));
        String text = Files.readString(f).replaceAll("\"private_key\":\"[^\"]+\"", "\"private_key\":\"" + bob + "\"");
        Files.writeString(f, text);
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void tamperedIdIsRefused() throws IOException {
        Path f = saved();
        Files.writeString(f, Files.readString(f).replace(alice.id().value(), TestKeys.agent("bob").id().value()));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void unknownFieldIsRefused() throws IOException {
        Path f = saved();
        Files.writeString(f, Files.readString(f).replace("{\"id\"", "{\"extra\":1,\"id\""));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void errorMessagesDoNotContainTheSeed() throws IOException {
        Path f = saved();
        Files.writeString(f, Files.readString(f).replace("\"v\":1", "\"v\":2"));
        String seed = Base64Url.encode(TestKeys.seed("alice"));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(seed));
    }

    @Test
    void oversizedFileIsRefused() throws IOException {
        Path f = dir.resolve("big.json");
        Files.write(f, new byte[KeyFiles.MAX_BYTES + 1]);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> KeyFiles.loadPrivate(f)).isInstanceOf(MoatException.class);
    }

    @Test
    void publicFileRoundTripsAndHasNoPrivateKey() throws IOException {
        Path f = dir.resolve("alice.id.json");
        KeyFiles.savePublic(alice.identity(), f);
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).doesNotContain("private_key");
        assertThat(KeyFiles.loadPublic(f).id()).isEqualTo(alice.id());
        assertThat(KeyFiles.loadPublic(saved()).id()).isEqualTo(alice.id());
    }

    @Test
    void tryLoadPublicReportsMalformed() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"v\":1}");
        assertThat(KeyFiles.tryLoadPublic(f).failureOrNull().code()).isEqualTo(ReasonCode.MALFORMED);
    }
}
