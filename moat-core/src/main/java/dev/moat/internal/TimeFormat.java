package dev.moat.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times on the wire: RFC 3339 UTC with a {@code Z} suffix and whole seconds or milliseconds, for
 * example {@code 2026-11-25T10:00:00Z} or {@code 2026-11-25T10:00:00.123Z}. One instant has one
 * text form: milliseconds appear only when non-zero. Formatting and parsing work by character
 * position (they sit on every token, message and audit entry); years outside 0000-9999 are
 * formatted by {@link DateTimeFormatter} and refused by the parser.
 */
public final class TimeFormat {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimeFormat() {}

    /** Formats at millisecond precision (sub-millisecond parts are truncated). */
    public static String format(Instant t) {
        Instant ms = truncate(t);
        LocalDateTime d = LocalDateTime.ofEpochSecond(ms.getEpochSecond(), ms.getNano(), ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return ms.getNano() == 0 ? SECONDS.format(ms) : MILLIS.format(ms);
        }
        int millis = ms.getNano() / 1_000_000;
        char[] c = new char[millis == 0 ? 20 : 24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, d.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, d.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, d.getHour(), 2);
        c[13] = ':';
        put(c, 14, d.getMinute(), 2);
        c[16] = ':';
        put(c, 17, d.getSecond(), 2);
        if (millis != 0) {
            c[19] = '.';
            put(c, 20, millis, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    /** Parses the canonical form only; anything else is an {@link IllegalArgumentException}. */
    public static Instant parse(String s) {
        int n = s == null ? 0 : s.length();
        if ((n != 20 && n != 24) || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n == 24 && s.charAt(19) != '.')) {
            throw new IllegalArgumentException("not an RFC 3339 UTC time in canonical form");
        }
        try {
            LocalDateTime t = LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2),
                    digits(s, 14, 2), digits(s, 17, 2), n == 24 ? digits(s, 20, 3) * 1_000_000 : 0);
            Instant i = t.toInstant(ZoneOffset.UTC);
            if (!format(i).equals(s)) {
                throw new IllegalArgumentException("not in canonical form");
            }
            return i;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a valid time");
        }
    }

    /** Truncates to the wire precision, so a value survives a round trip unchanged. */
    public static Instant truncate(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
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
