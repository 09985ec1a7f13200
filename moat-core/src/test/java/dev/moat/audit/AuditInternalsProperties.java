package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import dev.moat.internal.TimeFormat;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The audit package's fast paths agree with the shared helpers they stand in for. */
class AuditInternalsProperties {

    @Property(tries = 300)
    void domainHashAgreesWithAnIndependentSha256(@ForAll byte[] body) {
        org.bouncycastle.crypto.digests.SHA256Digest reference = new org.bouncycastle.crypto.digests.SHA256Digest();
        byte[] framed = Domain.AUDIT_ENTRY.frame(body);
        reference.update(framed, 0, framed.length);
        byte[] expected = new byte[32];
        reference.doFinal(expected, 0);
        assertThat(Sha256.hash(Domain.AUDIT_ENTRY, body)).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void fastTimeFormatAgreesWithTimeFormat(@ForAll("anyInstants") Instant t) {
        assertThat(AuditTime.format(t)).isEqualTo(TimeFormat.format(t));
    }

    @Provide
    Arbitrary<Instant> anyInstants() {
        // includes sub-millisecond parts and years beyond 9999 (the fallback)
        return Arbitraries.longs().between(-62167219200L, 400000000000L)
                .flatMap(sec -> Arbitraries.integers().between(0, 999_999_999).map(n -> Instant.ofEpochSecond(sec, n)));
    }

    @Property(tries = 1000)
    void fastTimeParseAgreesWithTimeFormat(@ForAll("instants") Instant t) {
        String s = TimeFormat.format(t);
        assertThat(AuditTime.parse(s)).isEqualTo(TimeFormat.parse(s));
    }

    @Property(tries = 1000)
    void fastTimeParseAcceptsExactlyWhatTimeFormatAccepts(@ForAll("timeLike") String s) {
        Instant expected;
        try {
            expected = TimeFormat.parse(s);
        } catch (RuntimeException e) {
            expected = null;
        }
        if (expected == null) {
            assertThatThrownBy(() -> AuditTime.parse(s)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(AuditTime.parse(s)).isEqualTo(expected);
        }
    }

    @Example
    void nonCanonicalTimesAreRefused() {
        for (String s : new String[] {"2026-01-01T00:00:00.000Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z",
                "2026-01-01T00:00:00+00:00", "2026-01-01 00:00:00Z", "+2026-01-01T00:00:0Z", "2026-01-01T00:00:00.1Z"}) {
            assertThatThrownBy(() -> AuditTime.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
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
