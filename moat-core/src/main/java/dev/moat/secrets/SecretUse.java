package dev.moat.secrets;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a resolved value is about to go: a header of an HTTP request to {@code target} (the host),
 * or the environment variable {@code target} of a child process.
 */
public record SecretUse(Kind kind, String target, boolean encrypted) {
    public enum Kind {
        HTTP_HEADER,
        PROCESS_ENV
    }

    public SecretUse {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
    }

    public static SecretUse httpHeader(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return new SecretUse(Kind.HTTP_HEADER, host, "https".equalsIgnoreCase(uri.getScheme()));
    }

    public static SecretUse processEnv(String variable) {
        return new SecretUse(Kind.PROCESS_ENV, variable, true);
    }
}
