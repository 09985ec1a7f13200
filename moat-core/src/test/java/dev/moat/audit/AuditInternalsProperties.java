package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.crypto.Domain;
import dev.moat.crypto.Sha256;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The entry hash is SHA-256 with the entry domain, as an independent implementation computes it. */
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

}
