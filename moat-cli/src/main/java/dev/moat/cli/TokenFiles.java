package dev.moat.cli;

import dev.moat.check.Checked;
import dev.moat.check.Failure;
import dev.moat.token.TokenChain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Token files: the chain's canonical JSON, one line. Reading checks form only; trust is {@code token verify}'s job. */
final class TokenFiles {
    private static final long MAX_BYTES = 1 << 20;

    private TokenFiles() {}

    static TokenChain read(Path file) {
        byte[] bytes;
        try {
            bytes = dev.moat.internal.BoundedFiles.read(file, (int) MAX_BYTES);
        } catch (dev.moat.internal.BoundedFiles.TooLarge e) {
            throw CliException.denied("oversized", e.getMessage());
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile e) {
            throw CliException.io(e.getMessage());
        } catch (NoSuchFileException e) {
            throw CliException.io("no such token file: " + file);
        } catch (IOException e) {
            throw CliException.io("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        byte[] exact = end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
        Checked<TokenChain> parsed = TokenChain.parse(exact);
        if (parsed instanceof Checked.Failed<TokenChain> f) {
            throw invalid(file, f.failure());
        }
        return parsed.orThrow();
    }

    /**
     * Refuses to replace an existing token file unless {@code force}: a typo'd {@code --out} must not
     * silently destroy another agent's token (exit 1, reason {@code exists}).
     */
    static void refuseOverwrite(Path file, boolean force) {
        if (!force && Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw CliException.denied("exists", "token file " + file + " already exists (use --force to replace it, or --out FILE)");
        }
    }

    static void write(Path file, TokenChain chain) {
        CliFiles.write(file, (chain.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static CliException invalid(Path file, Failure f) {
        return CliException.denied(f.code().code(), "invalid token " + file.getFileName() + ": " + f.code().code() + ": " + f.detail());
    }
}
