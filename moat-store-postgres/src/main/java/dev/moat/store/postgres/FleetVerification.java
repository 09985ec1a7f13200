package dev.moat.store.postgres;

import dev.moat.audit.AuditVerification;
import java.util.Map;
import java.util.Objects;

/** The result of {@link FleetAuditVerifier#verify}: one verification per replica's chain, by replica id. */
public record FleetVerification(Map<String, AuditVerification> replicas) {
    public FleetVerification {
        replicas = Map.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }

    /** True when there is at least one chain and every chain is intact. */
    public boolean isIntact() {
        return !replicas.isEmpty() && replicas.values().stream().allMatch(AuditVerification::isIntact);
    }

    /** Entries verified across the fleet. */
    public long entries() {
        return replicas.values().stream().mapToLong(v -> v instanceof AuditVerification.Intact i ? i.entries()
                : ((AuditVerification.Broken) v).entriesVerified()).sum();
    }
}
