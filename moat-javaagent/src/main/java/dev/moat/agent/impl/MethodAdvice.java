package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into guarded tool methods ({@code @Tool} methods, configured method patterns): hands the
 * arguments to the bridge, which throws the denial (skipping the body) or returns a scope whose
 * outcome is recorded on exit. Nothing is suppressed.
 */
final class MethodAdvice {
    private MethodAdvice() {}

    @Advice.OnMethodEnter
    static Object enter(@Advice.Origin("#t.#m#d") String target, @Advice.AllArguments Object[] args) {
        return MoatBridge.enterMethod(target, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object scope, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        MoatBridge.exitMethod(scope, result, thrown);
    }
}
