package dev.moat.agent.impl;

import static net.bytebuddy.matcher.ElementMatchers.named;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Loads and initialises Byte Buddy on a background thread while the agent reads the policy and
 * starts Moat on the premain thread: the type pool, the redefinition and the advice classes, through
 * one throw-away advice weave of {@link Target}, so that instrumenting the first tool class finds
 * Byte Buddy's classes loaded. Byte Buddy's cold class loading costs hundreds of milliseconds: this
 * overlaps it with the rest of start-up on a second core. Nothing it builds is installed; a failure
 * here only loses the overlap (the real transformation reports its own errors).
 */
final class ByteBuddyWarmUp {
    private ByteBuddyWarmUp() {}

    /** A class to weave the advice into once (never loaded as woven). */
    static final class Target {
        String call(String input) {
            return input;
        }
    }

    static Thread start() {
        Thread t = new Thread(ByteBuddyWarmUp::run, "moat-agent-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void run() {
        try {
            ClassLoader own = ByteBuddyWarmUp.class.getClassLoader();
            ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(own);
            new ByteBuddy().redefine(TypePool.Default.of(locator).describe(Target.class.getName()).resolve(), locator)
                    .visit(Advice.to(MethodAdvice.class).on(named("call")))
                    .visit(Advice.to(SpringAiAdvice.class).on(named("call")))
                    .make().getBytes();
            Advice.to(ToolServiceAdvice.class);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.line("note: Byte Buddy warm-up failed (" + e.getClass().getSimpleName() + "); start-up is slower");
        }
    }
}
