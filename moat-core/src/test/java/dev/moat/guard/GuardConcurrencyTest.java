package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.audit.AuditLog;
import dev.moat.audit.AuditVerification;
import dev.moat.audit.AuditVerifier;
import dev.moat.audit.Durability;
import dev.moat.audit.JsonlAuditStore;
import dev.moat.identity.AgentId;
import dev.moat.identity.AgentKeypair;
import dev.moat.relay.RouterLimits;
import dev.moat.replay.InMemorySequenceStore;
import dev.moat.replay.SequenceStore;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two threads x 50k guarded calls: nothing lost from the audit chain, no sequence number twice. */
@Timeout(300)
class GuardConcurrencyTest {
    private static final int THREADS = 2;
    private static final int CALLS = 50_000;

    @TempDir
    Path dir;

    /** Records every accepted (sender, seq) pair and counts duplicates. */
    static final class RecordingStore implements SequenceStore {
        final InMemorySequenceStore inner = new InMemorySequenceStore();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();

        @Override
        public boolean advance(AgentId sender, long seq) {
            boolean ok = inner.advance(sender, seq);
            if (ok && !accepted.add(sender.value() + "/" + seq)) {
                duplicates.incrementAndGet();
            }
            return ok;
        }

        @Override
        public long last(AgentId sender) {
            return inner.last(sender);
        }
    }

    @Test
    void concurrentCallsAreAllAuditedAndNeverAcceptedTwice() throws Exception {
        AgentKeypair root = AgentKeypair.generate("root");
        AgentKeypair worker = AgentKeypair.generate("worker");
        AgentKeypair auditKey = AgentKeypair.generate("moat-audit");
        TokenChain chain = TokenChain.issue(root, Grant.to(root.id()).allow("tool://**", "*").validFor(Duration.ofHours(1)).build())
                .delegate(root, Grant.to(worker.id()).allow("tool://analyze", "read").validFor(Duration.ofMinutes(30)).build());
        Path log = dir.resolve("audit.jsonl");
        RecordingStore store = new RecordingStore();
        AuditLog audit = AuditLog.builder(JsonlAuditStore.builder(log).durability(Durability.batched(256, Duration.ofMillis(20))).build(), auditKey)
                .checkpointEvery(10_000).open();
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Set<Long> allowedSequences = ConcurrentHashMap.newKeySet();
        try (Moat moat = Moat.builder().agent(root).agent(worker).trustRoot("root").capability("worker", chain)
                .routerLimits(RouterLimits.DEFAULT.withRateLimit(1_000_000, Duration.ofSeconds(1)))
                .sequenceStore(store).auditLog(audit).build()) {
            byte[] args = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
            Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < CALLS; i++) {
                        GuardedCall<Integer> r = moat.guard().call(ToolCall.builder("worker", "tool://analyze", "read").arguments(args).build(), ran::incrementAndGet);
                        if (r instanceof GuardedCall.Completed<Integer> c) {
                            allowed.incrementAndGet();
                            allowedSequences.add(c.decision().message().sequence());
                        }
                    }
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(allowed.get()).isEqualTo(THREADS * CALLS);
        assertThat(ran.get()).isEqualTo(THREADS * CALLS);
        assertThat(store.duplicates.get()).isZero();
        // one agent's calls run in parallel: numbers arriving out of order are accepted from the PEP's
        // replay window without a store access, each once; so every allowed call has its own number
        assertThat(allowedSequences).hasSize(THREADS * CALLS);
        assertThat(store.accepted.size()).isLessThanOrEqualTo(THREADS * CALLS);
        AuditVerification v = AuditVerifier.forFile(log).publicKey(auditKey.publicKey()).build().verify();
        assertThat(v).isInstanceOf(AuditVerification.Intact.class);
        // start + (decision + outcome) per call + stop
        assertThat(((AuditVerification.Intact) v).entries()).isEqualTo(2L + 2L * THREADS * CALLS);
    }
}
