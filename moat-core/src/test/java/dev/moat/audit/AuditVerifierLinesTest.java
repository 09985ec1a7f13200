package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AuditVerifier#verifyLines}: the file verifier's steps over lines kept elsewhere. */
class AuditVerifierLinesTest {
    private final InMemoryAuditStore memory = new InMemoryAuditStore();
    private final List<String> entries = new ArrayList<>();
    private final List<String> checkpoints = new ArrayList<>();

    private void write(int n) {
        try (AuditLog log = AuditLog.builder(memory, AuditFixtures.LOG_KEY).checkpointEvery(5).open()) {
            for (int i = 0; i < n; i++) {
                log.append(AuditFixtures.event(i));
            }
        }
        memory.entries().forEach(e -> entries.add(e.toJsonLine()));
        memory.checkpoints().forEach(c -> checkpoints.add(c.toJsonLine()));
    }

    private AuditVerification verify() {
        return AuditVerifier.verifyLines(entries.iterator(), checkpoints.iterator(), AuditFixtures.LOG_KEY.publicKey(),
                AuditVerification.KeyTrust.SELF_ASSERTED, true);
    }

    @Test
    void intactLinesVerifyLikeTheFile() {
        write(12);
        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Intact.class, ok -> {
            assertThat(ok.entries()).isEqualTo(12);
            assertThat(ok.checkpointsVerified()).isEqualTo(3);
            assertThat(ok.keyTrust()).isEqualTo(AuditVerification.KeyTrust.SELF_ASSERTED);
        });
        assertThat(AuditEntry.fromJsonLine(entries.get(3))).isEqualTo(memory.entries().get(3));
    }

    @Test
    void anEditedDeletedOrTruncatedLineIsFound() {
        write(12);
        List<String> original = List.copyOf(entries);
        entries.set(4, entries.get(4).replace("agent:bob", "agent:bog"));
        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Broken.class, b -> {
            assertThat(b.kind()).isEqualTo(AuditBreak.Kind.HASH_MISMATCH);
            assertThat(b.breakage().index()).isEqualTo(4);
        });
        entries.clear();
        entries.addAll(original);
        entries.remove(7);
        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Broken.class,
                b -> assertThat(b.kind()).isEqualTo(AuditBreak.Kind.INDEX_GAP));
        entries.clear();
        entries.addAll(original.subList(0, 11));
        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Broken.class,
                b -> assertThat(b.kind()).isEqualTo(AuditBreak.Kind.TRUNCATED));
        entries.clear();
        entries.addAll(original);
        checkpoints.set(1, "{\"count\":1}");
        assertThat(verify()).isInstanceOfSatisfying(AuditVerification.Broken.class,
                b -> assertThat(b.kind()).isEqualTo(AuditBreak.Kind.MALFORMED_LINE));
    }
}
