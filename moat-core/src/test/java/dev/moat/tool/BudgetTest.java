package dev.moat.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.check.Failure;
import dev.moat.guard.CallContext;
import dev.moat.tool.rule.BudgetScope;
import dev.moat.tool.rule.PathRules;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Budgets: summed over allowed calls per scope, all-or-nothing, exact decimals, atomic under concurrency. */
@Timeout(60)
class BudgetTest {
    private static byte[] args(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static ToolPolicy pay(String total) {
        return ToolPolicy.forTool("pay").argument(PathRules.on("amount").budget(total, "conversation").build())
                .argument(PathRules.on("fees[*]").budget("1", "conversation").build()).build();
    }

    @Test
    void sumsExactDecimalsPerConversation() {
        ToolPolicy p = pay("0.3");
        CallContext c1 = new CallContext(null, "c1", java.util.Map.of());
        assertThat(p.spendBudgets(args("{\"amount\":0.1}"), c1, null)).isNull();
        assertThat(p.spendBudgets(args("{\"amount\":0.2}"), c1, null)).isNull(); // 0.1 + 0.2 is exactly 0.3
        Failure over = p.spendBudgets(args("{\"amount\":1e-10}"), c1, null);
        assertThat(over).isNotNull();
        assertThat(over.detail()).contains("budget per conversation").contains("0.3");
        assertThat(p.spent("amount", BudgetScope.CONVERSATION, "c1")).isEqualByComparingTo("0.3");
        assertThat(p.spendBudgets(args("{\"amount\":0.3}"), new CallContext(null, "c2", java.util.Map.of()), null)).isNull();
    }

    @Test
    void aRefusedChargeSpendsNothingOnTheOtherBudgets() {
        ToolPolicy p = pay("100");
        CallContext c = new CallContext(null, "c", java.util.Map.of());
        assertThat(p.spendBudgets(args("{\"amount\":5,\"fees\":[0.5,0.6]}"), c, null)).isNotNull(); // fees 1.1 > 1
        assertThat(p.spent("amount", BudgetScope.CONVERSATION, "c")).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void aPerConversationBudgetWithoutAConversationDenies() {
        assertThat(pay("10").spendBudgets(args("{\"amount\":1}"), CallContext.NONE, null).detail())
                .contains("names no conversation");
    }

    @Test
    void concurrentCallsNeverExceedTheCap() throws Exception {
        ToolPolicy p = pay("100");
        CallContext c = new CallContext(null, "shared", java.util.Map.of());
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50; i++) {
                    if (p.spendBudgets(args("{\"amount\":1}"), c, null) == null) {
                        allowed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(allowed).hasValue(100);
        assertThat(p.spent("amount", BudgetScope.CONVERSATION, "shared")).isEqualByComparingTo("100");
    }
}
