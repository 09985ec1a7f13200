package dev.moat.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The audit-only decision entry: {@code wouldDeny} round-trips, is written only as true, and only on an allowed decision. */
@Timeout(10)
class WouldDenyEntryTest {
    private static AuditEvent.Decision shadow() {
        return AuditEvent.Decision.wouldDeny("agent:a", "tool://pay", "execute", "capability", "not_granted", "scope not granted", "m-1");
    }

    @Test
    void aWouldDenyDecisionRoundTripsAndHashes() {
        AuditEntry e = AuditEntry.create(0, AuditFixtures.T0, shadow(), AuditEntry.genesisHash());
        String line = e.toJsonLine();
        assertThat(line).contains("\"allowed\":true", "\"wouldDeny\":true", "\"reasonCode\":\"not_granted\"");
        AuditEntry back = AuditEntry.parseLine(line);
        assertThat(back.event()).isEqualTo(shadow());
        assertThat(((AuditEvent.Decision) back.event()).wouldDeny()).isTrue();
        assertThat(back.hashIsValid()).isTrue();
    }

    @Test
    void anEnforcedDecisionHasNoWouldDenyField() {
        String line = AuditEntry.create(0, AuditFixtures.T0, new AuditEvent.Decision("a", "r", "x", false, "capability", "not_granted", "no", "m"),
                AuditEntry.genesisHash()).toJsonLine();
        assertThat(line).doesNotContain("wouldDeny");
    }

    @Test
    void anExplicitFalseOrAWouldDenyOnADenialIsRefused() {
        String plain = AuditEntry.create(0, AuditFixtures.T0, new AuditEvent.Decision("a", "r", "x", true, null, null, null, "m"),
                AuditEntry.genesisHash()).toJsonLine();
        String falseFlag = plain.replace("\"allowed\":true,", "\"allowed\":true,\"wouldDeny\":false,");
        assertThatThrownBy(() -> AuditEntry.parseLine(falseFlag)).isInstanceOf(IllegalArgumentException.class);
        String noReason = plain.replace("\"allowed\":true,", "\"allowed\":true,\"wouldDeny\":true,");
        assertThatThrownBy(() -> AuditEntry.parseLine(noReason)).isInstanceOf(IllegalArgumentException.class);
        String denied = AuditEntry.create(0, AuditFixtures.T0, shadow(), AuditEntry.genesisHash()).toJsonLine()
                .replace("\"allowed\":true", "\"allowed\":false");
        assertThatThrownBy(() -> AuditEntry.parseLine(denied)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditEvent.Decision("a", "r", "x", false, "capability", "not_granted", "d", "m",
                null, null, null, null, false, null, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
