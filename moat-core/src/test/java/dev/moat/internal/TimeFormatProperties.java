package dev.moat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The positional time codec agrees with the JDK's formatter and parser on the canonical form. */
class TimeFormatProperties {

    /** The straightforward implementation the positional one must match. */
    static final class Reference {
        private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
        private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

        static String format(Instant t) {
            Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
            return ms.getNano() == 0 ? SECONDS.format(ms) : MILLIS.format(ms);
        }

        static Instant parse(String s) {
            if (s == null || s.length() > 24 || !s.endsWith("Z")) {
                throw new IllegalArgumentException("not an RFC 3339 UTC time");
            }
            Instant t = Instant.parse(s);
            if (!format(t).equals(s)) {
                throw new IllegalArgumentException("not in canonical form");
            }
            return t;
        }
    }

    @Property(tries = 1000)
    void formatAgreesWithDateTimeFormatter(@ForAll("anyInstants") Instant t) {
        assertThat(TimeFormat.format(t)).isEqualTo(Reference.format(t));
    }

    @Provide
    Arbitrary<Instant> anyInstants() {
        // includes sub-millisecond parts and years beyond 9999 (the fallback)
        return Arbitraries.longs().between(-62167219200L, 400000000000L)
                .flatMap(sec -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(sec, n)));
    }

    @Property(tries = 1000)
    void parseAgreesWithInstantParse(@ForAll("instants") Instant t) {
        String s = TimeFormat.format(t);
        assertThat(TimeFormat.parse(s)).isEqualTo(Reference.parse(s));
    }

    @Property(tries = 1000)
    void parseAcceptsExactlyTheCanonicalForm(@ForAll("timeLike") String s) {
        Instant expected;
        try {
            expected = Reference.parse(s);
        } catch (RuntimeException e) {
            expected = null;
        }
        if (expected == null) {
            assertThatThrownBy(() -> TimeFormat.parse(s)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(TimeFormat.parse(s)).isEqualTo(expected);
        }
    }

    @Example
    void nonCanonicalTimesAreRefused() {
        for (String s : new String[] {"2026-01-01T00:00:00.000Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z",
                "2026-01-01T00:00:00+00:00", "2026-01-01 00:00:00Z", "+2026-01-01T00:00:0Z", "2026-01-01T00:00:00.1Z"}) {
            assertThatThrownBy(() -> TimeFormat.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(-62167219200000L, 253402300799999L).map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<String> timeLike() {
        // canonical times with one character replaced by a digit, letter or separator
        return Arbitraries.longs().between(-62167219200000L, 253402300799999L)
                .map(ms -> TimeFormat.format(Instant.ofEpochMilli(ms)))
                .flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
                        .flatMap(i -> Arbitraries.of('0', '1', '5', '9', 'Z', 'T', '-', ':', '.', 'x')
                                .map(c -> s.substring(0, i) + c + s.substring(i + 1))));
    }
}
