package dev.moat.audit;

import dev.moat.identity.AgentKeypair;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JsonlAuditStoreConformanceTest extends AuditStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected AuditStore store() {
        return JsonlAuditStore.builder(dir.resolve("audit.jsonl")).build();
    }

    @Override
    protected AuditVerification verifyStored(AgentKeypair key) {
        return AuditVerifier.forFile(dir.resolve("audit.jsonl")).publicKey(key.publicKey()).build().verify();
    }
}
