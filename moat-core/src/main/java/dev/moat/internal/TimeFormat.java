package dev.moat.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times on the wire: RFC 3339 UTC with a {@code Z} suffix and whole seconds or milliseconds, for
 * example {@code 2026-11-25T10:00:00Z} or {@code 2026-11-25T10:00:00.123Z}. One instant has one
 * text form: milliseconds appear only when non-zero.
 */
public final class TimeFormat {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimeFormat() {}

    /** Formats at millisecond precision (sub-millisecond parts are truncated). */
    public static String format(Instant t) {
        Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
        return ms.getNano() == 0 ? SECONDS.format(ms) : MILLIS.format(ms);
    }

    /** Parses the canonical form only. */
    public static Instant parse(String s) {
        if (s == null || s.length() > 24 || !s.endsWith("Z")) {
            throw new IllegalArgumentException("not an RFC 3339 UTC time");
        }
        Instant t = Instant.parse(s);
        if (!format(t).equals(s)) {
            throw new IllegalArgumentException("not in canonical form");
        }
        return t;
    }

    /** Truncates to the wire precision, so a value survives a round trip unchanged. */
    public static Instant truncate(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
