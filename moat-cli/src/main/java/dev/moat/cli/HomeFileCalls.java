package dev.moat.cli;

import dev.moat.home.HomeException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a read or write of a home file (trust store, revocation list) and maps its failures to
 * the CLI's errors: an unreadable file is {@code malformed} (exit 1), a failed write is I/O (exit 3),
 * a refused value is a usage error (exit 2).
 */
final class HomeFileCalls {
    private HomeFileCalls() {}

    static <T> T read(Supplier<T> op) {
        try {
            return op.get();
        } catch (HomeException e) {
            throw CliException.denied("malformed", e.getMessage());
        }
    }

    static boolean write(BooleanSupplier op) {
        try {
            return op.getAsBoolean();
        } catch (HomeException e) {
            throw CliException.io(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
