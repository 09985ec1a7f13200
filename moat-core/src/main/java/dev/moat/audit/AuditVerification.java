package dev.moat.audit;

import java.util.Objects;

/** The result of {@link AuditVerifier#verify()}: {@link Intact} or {@link Broken}. */
public sealed interface AuditVerification {

    /** How the checkpoint key was obtained. */
    enum KeyTrust {
        /** The caller supplied the key: checkpoints prove the log's extent to that key holder. */
        PROVIDED,
        /** Read from the log's own {@code .key} sidecar: an attacker who rewrote the log could rewrite it too. */
        SELF_ASSERTED
    }

    default boolean isIntact() {
        return this instanceof Intact;
    }

    /**
     * Every entry verified; every checkpoint verified and consistent. {@code uncheckpointedEntries}
     * counts the entries after the last checkpoint: they are chained but not signed (normal after a
     * crash, or between periodic checkpoints).
     */
    record Intact(long entries, long checkpointsVerified, byte[] headHash, long uncheckpointedEntries, KeyTrust keyTrust)
            implements AuditVerification {
        public Intact {
            Objects.requireNonNull(keyTrust, "keyTrust");
            headHash = headHash.clone();
        }

        @Override
        public byte[] headHash() {
            return headHash.clone();
        }
    }

    /** Verification stopped at the first problem; {@code entriesVerified} entries before it were fine. */
    record Broken(AuditBreak breakage, long entriesVerified) implements AuditVerification {
        public Broken {
            Objects.requireNonNull(breakage, "breakage");
        }

        public AuditBreak.Kind kind() {
            return breakage.kind();
        }
    }
}
