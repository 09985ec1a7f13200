package dev.moat.agent.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.agent.apps.Shapes;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The woven methods themselves, on shapes javac produces that stress the rewriting: primitive and
 * wide arguments and results, {@code void}, static methods, a loop at the first instruction (a
 * stack map frame at offset 0), the body's own handlers (they keep precedence over the woven one),
 * {@code finally} with several returns, a switch, more than five arguments. A recording dispatcher
 * sees every enter and exit: each call is entered once and exited once, with the real arguments,
 * result or throwable, and nothing is suppressed.
 */
class GuardedMethodWriterTest {
    /** Records every guarded method's enter and exit; can fail on either. Other entry points are broken. */
    static final class Recording extends FailClosedTest.Broken {
        final List<String> events = new ArrayList<>();
        volatile boolean failEnter;
        volatile boolean failExit;

        @Override
        public Object enterMethod(String target, Object[] args) {
            events.add("enter " + target.substring(target.lastIndexOf('.') + 1) + " " + Arrays.toString(args));
            if (failEnter) {
                throw new IllegalStateException("enter failed (test)");
            }
            return "scope-" + events.size();
        }

        @Override
        public void exitMethod(Object scope, Object result, Throwable thrown) {
            events.add("exit " + scope + " " + result + " " + (thrown == null ? "-" : thrown.getClass().getSimpleName()));
            if (failExit) {
                throw new IllegalStateException("exit failed (test)");
            }
        }
    }

    private final Recording recording = new Recording();

    @BeforeEach
    void setUp() {
        InProcessAgent.use(recording);
        Shapes.BODIES.set(0);
    }

    @Test
    void primitiveAndWideArgumentsAndResultsPassThroughBoxed() {
        double r = new Shapes().wide(1L << 40, 0.5, 3, true, 'a', (byte) 2, (short) 4, 1.5f);

        assertThat(r).isEqualTo((1L << 40) + 0.5 + 3 + 1 + 'a' + 2 + 4 + 1.5f);
        assertThat(recording.events).containsExactly(
                "enter wide(JDIZCBSF)D [1099511627776, 0.5, 3, true, a, 2, 4, 1.5]",
                "exit scope-1 " + r + " -");
    }

    @Test
    void voidStaticAndLoopHeadedMethods() {
        new Shapes().nothing("x");
        assertThat(Shapes.countDown(3)).isZero();

        assertThat(recording.events).containsExactly(
                "enter nothing(Ljava/lang/String;)V [x]", "exit scope-1 null -",
                "enter countDown(I)J [3]", "exit scope-3 0 -");
        assertThat(Shapes.BODIES).hasValue(4);
    }

    @Test
    void theBodysOwnHandlersKeepPrecedence() {
        assertThat(new Shapes().handled("")).isEqualTo("fallback");
        assertThat(new Shapes().handled("a")).isEqualTo("read a");

        assertThat(recording.events).containsExactly(
                "enter handled(Ljava/lang/String;)Ljava/lang/String; []", "exit scope-1 fallback -",
                "enter handled(Ljava/lang/String;)Ljava/lang/String; [a]", "exit scope-3 read a -");
    }

    @Test
    void finallyWithSeveralReturnsAndASwitchExitOncePerCall() {
        Shapes s = new Shapes();
        assertThat(s.withFinally(50)).isEqualTo(10);
        assertThat(s.withFinally(5)).isEqualTo(5);
        assertThatThrownBy(() -> s.withFinally(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("negative");
        assertThat(s.choose(30)).isEqualTo("thirty");

        assertThat(recording.events).containsExactly(
                "enter withFinally(I)I [50]", "exit scope-1 10 -",
                "enter withFinally(I)I [5]", "exit scope-3 5 -",
                "enter withFinally(I)I [-1]", "exit scope-5 null IllegalArgumentException",
                "enter choose(I)Ljava/lang/String; [30]", "exit scope-7 thirty -");
        assertThat(Shapes.BODIES).hasValue(4);
    }

    @Test
    void aThrowingBodyIsExitedWithItsThrowableWhichPropagatesUnchanged() throws Throwable {
        assertThatThrownBy(() -> new Shapes().fails("disk")).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("disk");

        // the same through a method handle: the woven body is the only body
        var handle = MethodHandles.publicLookup().findVirtual(Shapes.class, "fails", MethodType.methodType(boolean.class, String.class));
        assertThatThrownBy(() -> {
            boolean ignored = (boolean) handle.invoke(new Shapes(), "net");
        }).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("net");

        assertThat(recording.events).containsExactly(
                "enter fails(Ljava/lang/String;)Z [disk]", "exit scope-1 null UncheckedIOException",
                "enter fails(Ljava/lang/String;)Z [net]", "exit scope-3 null UncheckedIOException");
    }

    @Test
    void anEnterThatThrowsSkipsTheBody() {
        recording.failEnter = true;

        assertThatThrownBy(() -> new Shapes().choose(1)).isInstanceOf(IllegalStateException.class).hasMessage("enter failed (test)");
        assertThat(Shapes.BODIES).hasValue(0);
        assertThat(recording.events).containsExactly("enter choose(I)Ljava/lang/String; [1]");
    }

    @Test
    void anExitThatThrowsPropagatesAndIsNotRecordedTwice() {
        recording.failExit = true;

        assertThatThrownBy(() -> new Shapes().choose(2)).isInstanceOf(IllegalStateException.class).hasMessage("exit failed (test)");
        assertThatThrownBy(() -> new Shapes().fails("x")).isInstanceOf(IllegalStateException.class).hasMessage("exit failed (test)");
        assertThat(recording.events).containsExactly(
                "enter choose(I)Ljava/lang/String; [2]", "exit scope-1 two -",
                "enter fails(Ljava/lang/String;)Z [x]", "exit scope-3 null UncheckedIOException");
    }
}
