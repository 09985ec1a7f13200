package dev.moat.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.ReasonCode;
import dev.moat.pep.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The denial log: one line per denial, at most {@link DenialLog#LINES_PER_SECOND} a second, suppressed counts reported. */
@Timeout(30)
class RateLimitedLogTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final List<String> denied = new ArrayList<>();
    private final List<String> shadow = new ArrayList<>();
    private final DenialLog log = new DenialLog(denied::add, shadow::add, now::get);

    private static GuardEvent denial(String detail) {
        return new GuardEvent("agent:a", "tool://pay", "execute", GuardEvent.Outcome.DENIED, Stage.GUARD,
                ReasonCode.ARGUMENT_REJECTED, detail, "m-1", 0);
    }

    @Test
    void aFloodOfTenThousandDenialsWritesABoundedNumberOfLinesAndReportsTheRest() {
        for (int i = 0; i < 10_000; i++) {
            log.onDecision(denial("argument 'iban' not allowed"));
        }
        assertThat(denied).hasSize(DenialLog.LINES_PER_SECOND);
        now.addAndGet(1_000_000_000L);
        log.onDecision(denial("argument 'iban' not allowed"));
        assertThat(denied).hasSize(DenialLog.LINES_PER_SECOND + 1);
        assertThat(denied.get(DenialLog.LINES_PER_SECOND)).endsWith("(9990 similar lines suppressed before this one)");
        assertThat(denied.get(0)).doesNotContain("suppressed");
    }

    @Test
    void aFloodOverTenSecondsWritesAboutTenLinesASecond() {
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 1000; i++) {
                log.onDecision(denial("x"));
            }
            now.addAndGet(1_000_000_000L);
        }
        assertThat(denied).hasSize(10 * DenialLog.LINES_PER_SECOND);
    }

    @Test
    void aLineNamesStageAndReasonEscapesControlsAndIsBounded() {
        log.onDecision(denial("bad\u001b[2J\u202evalue"));
        assertThat(denied).singleElement().satisfies(l -> {
            assertThat(l).startsWith("moat: denied agent=agent:a action=execute resource=tool://pay stage=guard reason=argument_rejected");
            assertThat(l).doesNotContain("\u001b").doesNotContain("\u202e").contains("\\u202e");
            assertThat(l).contains("message=m-1");
        });
        log.onDecision(denial("x".repeat(100_000)));
        assertThat(denied.get(1).length()).isLessThanOrEqualTo(DenialLog.MAX_CHARS + 64);
    }

    @Test
    void wouldDenyLinesSayTheCallRunsAndHaveTheirOwnBudget() {
        for (int i = 0; i < 100; i++) {
            log.onDecision(denial("x"));
        }
        log.onDecision(new GuardEvent("agent:a", "tool://pay", "execute", GuardEvent.Outcome.WOULD_DENY, Stage.CAPABILITY,
                ReasonCode.NOT_GRANTED, "scope not granted", "m-2", 0));
        assertThat(shadow).singleElement().satisfies(l ->
                assertThat(l).startsWith("moat: audit-only: would deny agent=agent:a").endsWith("; the call runs"));
        log.onDecision(new GuardEvent("agent:a", "tool://pay", "execute", GuardEvent.Outcome.ALLOWED, null, null, null, "m-3", 0));
        assertThat(denied).hasSize(DenialLog.LINES_PER_SECOND);
        assertThat(shadow).hasSize(1);
    }
}
