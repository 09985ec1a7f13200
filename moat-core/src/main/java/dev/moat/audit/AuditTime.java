package dev.moat.audit;

import dev.moat.internal.TimeFormat;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.Instant;

/**
 * Parses the canonical wire time ({@link TimeFormat}) by position instead of through
 * {@code Instant.parse}, which dominates verification otherwise. Acceptance is exactly
 * {@link TimeFormat#parse}'s: the result is only returned when {@link TimeFormat#format} gives back
 * the same text.
 */
final class AuditTime {
    private AuditTime() {}

    /** The instant of canonical text {@code s}; {@link IllegalArgumentException} for anything else. */
    static Instant parse(String s) {
        int n = s.length();
        if ((n != 20 && n != 24) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n == 24 && s.charAt(19) != '.')) {
            throw new IllegalArgumentException("not a canonical time");
        }
        try {
            LocalDateTime t = LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2),
                    digits(s, 14, 2), digits(s, 17, 2), n == 24 ? digits(s, 20, 3) * 1_000_000 : 0);
            Instant i = t.toInstant(ZoneOffset.UTC);
            if (!TimeFormat.format(i).equals(s)) {
                throw new IllegalArgumentException("not a canonical time");
            }
            return i;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid time");
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a canonical time");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
