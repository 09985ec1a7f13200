package dev.moat.audit;

import dev.moat.identity.AgentKeypair;

class InMemoryAuditStoreConformanceTest extends AuditStoreConformance {
    private final InMemoryAuditStore memory = new InMemoryAuditStore();

    @Override
    protected AuditStore store() {
        return memory; // one memory, opened again by each new log
    }

    @Override
    protected AuditVerification verifyStored(AgentKeypair key) {
        return AuditVerifier.verify(memory.entries(), memory.checkpoints(), key.publicKey());
    }
}
