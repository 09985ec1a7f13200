package dev.moat.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.Moat;
import dev.moat.guard.ToolCall;
import dev.moat.identity.AgentKeypair;
import dev.moat.message.MessageSigner;
import dev.moat.monitor.MutableClock;
import dev.moat.pep.Decision;
import dev.moat.token.Grant;
import dev.moat.token.TokenChain;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted Moat continues above the last sequence its {@link FileSequenceStore} accepted,
 * whatever the (injected) clock did in between: stepped forward, then back, across restarts and
 * within one run. Without seeding, the second start below would deny every call as a replay.
 */
@Timeout(60)
class ClockStepRestartTest {
    private static final Instant T = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    private final AgentKeypair root = AgentKeypair.generate("root");
    private final AgentKeypair agent = AgentKeypair.generate("assistant");
    private final AgentKeypair auditKey = AgentKeypair.generate("moat-audit");

    private Moat start(MutableClock clock) {
        // Issued far enough back and for long enough to stay valid at every clock reading below.
        MutableClock issueAt = new MutableClock(T.minus(Duration.ofDays(400)));
        TokenChain chain = TokenChain.issue(root, Grant.to(agent.id()).clock(issueAt)
                .allow("tool://echo", "execute").validFor(Duration.ofDays(1200)).build());
        return Moat.builder().clock(clock).agent(root).agent(agent).trustRoot("root")
                .capability("assistant", chain).sequenceStore(FileSequenceStore.open(dir.resolve("replay")))
                .inMemoryStores(auditKey).build();
    }

    private static Decision call(Moat moat) {
        return moat.guard().check(ToolCall.builder("assistant", "tool://echo", "execute").arguments("{}").build());
    }

    private long lastAccepted() {
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("replay"))) {
            return s.last(agent.id());
        }
    }

    @Test
    void aClockSteppedForwardThenCorrectedNeverLocksTheAgentOutAcrossRestarts() {
        MutableClock ahead = new MutableClock(T.plus(Duration.ofDays(300)));
        try (Moat moat = start(ahead)) {
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
            assertThat(call(moat)).isInstanceOf(Decision.Allow.class);
        }
        long afterAhead = lastAccepted();
        assertThat(afterAhead).isGreaterThanOrEqualTo(micros(T.plus(Duration.ofDays(300))));

        MutableClock right = new MutableClock(T);
        try (Moat moat = start(right)) {
            Decision d = call(moat);
            assertThat(d).isInstanceOf(Decision.Allow.class);
            assertThat(((Decision.Allow) d).message().header().sequence()).isEqualTo(afterAhead + 1);
        }
        assertThat(lastAccepted()).isEqualTo(afterAhead + 1);
    }

    @Test
    void aClockSteppedBackWithinARunAndAcrossARestartKeepsCounting() {
        MutableClock clock = new MutableClock(T);
        long first;
        try (Moat moat = start(clock)) {
            first = seq(call(moat));
            clock.advance(Duration.ofHours(-6));
            long second = seq(call(moat));
            assertThat(second).isEqualTo(first + 1);
        }
        MutableClock behind = new MutableClock(T.minus(Duration.ofDays(30)));
        try (Moat moat = start(behind)) {
            assertThat(seq(call(moat))).isEqualTo(first + 2);
            behind.advance(Duration.ofDays(200)); // and forward again: the clock term takes over
            long jumped = seq(call(moat));
            assertThat(jumped).isEqualTo(micros(T.plus(Duration.ofDays(170))));
            behind.advance(Duration.ofDays(-199));
            assertThat(seq(call(moat))).isEqualTo(jumped + 1);
        }
        try (Moat moat = start(new MutableClock(T))) {
            assertThat(seq(call(moat))).isEqualTo(micros(T.plus(Duration.ofDays(170))) + 2);
        }
    }

    @Test
    void aSignerSeededFromTheStoreStartsAboveItsLastValueWhateverTheClock() {
        try (FileSequenceStore s = FileSequenceStore.open(dir.resolve("replay"))) {
            assertThat(s.advance(agent.id(), micros(T.plus(Duration.ofDays(1000))))).isTrue();
        }
        TokenChain chain = TokenChain.issue(root, Grant.to(agent.id()).clock(new MutableClock(T))
                .allow("tool://echo", "execute").validFor(Duration.ofDays(1)).build());
        long last = lastAccepted();
        MessageSigner seeded = new MessageSigner(agent, chain, new MutableClock(T), "moat-test-pep", last);
        assertThat(seeded.lastSequence()).isEqualTo(last);
        var env = seeded.sign("moat", "tool://echo", "execute", new byte[0], dev.moat.policy.PolicyBinding.of("p", new byte[0]));
        assertThat(env.peekHeader().orThrow().sequence()).isEqualTo(last + 1);
        MessageSigner unseeded = new MessageSigner(agent, chain, new MutableClock(T), "moat-test-pep");
        var lower = unseeded.sign("moat", "tool://echo", "execute", new byte[0], dev.moat.policy.PolicyBinding.of("p", new byte[0]));
        assertThat(lower.peekHeader().orThrow().sequence()).isLessThan(last); // what seeding exists to prevent
    }

    private static long seq(Decision d) {
        assertThat(d).isInstanceOf(Decision.Allow.class);
        return ((Decision.Allow) d).message().header().sequence();
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
