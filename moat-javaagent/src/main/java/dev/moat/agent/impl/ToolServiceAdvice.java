package dev.moat.agent.impl;

import dev.moat.agent.bootstrap.Denial;
import dev.moat.agent.bootstrap.MoatBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into LangChain4j's {@code ToolService.executeWithErrorHandling(request, executor, context, ...)},
 * the one call site of every AI-service tool execution. A one-line hand-off to the bridge; a
 * {@link Denial} skips the executor and its readable result is returned. Nothing is suppressed:
 * an exception from the bridge propagates and the executor does not run.
 */
final class ToolServiceAdvice {
    private ToolServiceAdvice() {}

    @Advice.OnMethodEnter(skipOn = Denial.class)
    static Object enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object executor,
                        @Advice.Argument(2) Object context) {
        return MoatBridge.enterToolService(request, executor, context);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object scope,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        result = MoatBridge.exitToolService(scope, result, thrown);
    }
}
