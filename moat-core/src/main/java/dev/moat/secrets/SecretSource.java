package dev.moat.secrets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a secret's value comes from: an environment variable, a file (UTF-8; one trailing newline
 * is dropped) or memory. The value is loaded once, when the secret is
 * {@linkplain SecretProxy#declare declared}. No source's {@code toString} shows a value.
 */
public sealed interface SecretSource permits SecretSource.Env, SecretSource.File, SecretSource.Memory {

    static SecretSource env(String variable) {
        return new Env(variable);
    }

    static SecretSource file(Path path) {
        return new File(path);
    }

    /** A copy of {@code value}; wipe your array afterwards. */
    static SecretSource memory(char[] value) {
        return new Memory(value);
    }

    /** An environment variable, read through the proxy's environment lookup. */
    record Env(String variable) implements SecretSource {
        private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

        public Env {
            Objects.requireNonNull(variable, "variable");
            if (!VAR.matcher(variable).matches()) {
                throw new IllegalArgumentException("environment variable name must match " + VAR.pattern());
            }
        }

        @Override
        public String toString() {
            return "env:" + variable;
        }
    }

    /** A file holding the value (for example a mounted Kubernetes secret). */
    record File(Path path) implements SecretSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /** A value already in memory (tests, vaults fetched by the application). */
    final class Memory implements SecretSource {
        private final char[] value;

        private Memory(char[] value) {
            Objects.requireNonNull(value, "value");
            this.value = Arrays.copyOf(value, value.length);
        }

        char[] copy() {
            return Arrays.copyOf(value, value.length);
        }

        @Override
        public String toString() {
            return "memory";
        }
    }
}
