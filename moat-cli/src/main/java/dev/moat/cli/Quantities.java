package dev.moat.cli;

import dev.moat.policy.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses command-line durations ({@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}) and byte sizes ({@code 64MiB}). */
final class Quantities {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15})\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Quantities() {}

    static Duration duration(String option, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw CliException.usage(option + " must be positive");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
    }

    /** Bytes; K/M/G and KiB/MiB/GiB are all powers of 1024. */
    static long bytes(String option, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw CliException.usage(option + ": invalid size '" + text + "' (use e.g. 1048576, 512KiB, 64MiB, 1GiB)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw CliException.usage(option + ": size too large");
        }
        return n << shift;
    }
}
