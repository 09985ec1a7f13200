package dev.moat.secrets;

import dev.moat.MoatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a {@link SecretSource}; errors name the source, never the value. */
final class SecretLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SecretLoader.class);

    private SecretLoader() {}

    static SecretValue load(SecretSource source, Function<String, String> environment) {
        char[] chars;
        if (source instanceof SecretSource.Env env) {
            String v = environment.apply(env.variable());
            if (v == null || v.isEmpty()) {
                throw new MoatException("secret source " + env + ": variable is not set");
            }
            chars = v.toCharArray();
        } else if (source instanceof SecretSource.File file) {
            chars = readFile(file);
        } else {
            chars = ((SecretSource.Memory) source).copy();
        }
        return new SecretValue(chars);
    }

    /** A secret file holds one value: a key, a token, a password. */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private static char[] readFile(SecretSource.File file) {
        byte[] bytes;
        try {
            warnIfShared(file);
            bytes = dev.moat.internal.BoundedFiles.read(file.path(), MAX_FILE_BYTES);
        } catch (dev.moat.internal.BoundedFiles.NotRegularFile | dev.moat.internal.BoundedFiles.TooLarge e) {
            throw new MoatException("secret source " + file + ": not a regular file of at most " + MAX_FILE_BYTES + " bytes");
        } catch (IOException e) {
            throw new MoatException("secret source " + file + ": unreadable (" + e.getClass().getSimpleName() + ")");
        }
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int end = cb.limit();
            if (end > 0 && cb.get(end - 1) == '\n') {
                end--;
                if (end > 0 && cb.get(end - 1) == '\r') {
                    end--;
                }
            }
            char[] out = new char[end];
            cb.get(out, 0, end);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return out;
        } catch (CharacterCodingException e) {
            throw new MoatException("secret source " + file + ": not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static void warnIfShared(SecretSource.File file) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file.path());
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.GROUP_READ)) {
                LOG.warn("secret source {} is readable by group or others; make it owner-only", file);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
